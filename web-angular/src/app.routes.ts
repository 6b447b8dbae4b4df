import { Routes } from '@angular/router';

import { signedInGuard, visitorGuard } from './auth/auth.guards';

export const routes: Routes = [
  {
    path: '',
    canMatch: [visitorGuard],
    loadChildren: () => import('./auth/auth.routes').then((m) => m.authRoutes),
  },
  {
    path: '',
    canMatch: [signedInGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      {
        path: '',
        title: 'Chat',
        loadComponent: () => import('./shell/welcome.page').then((m) => m.WelcomePage),
      },
      { path: 'rooms', loadChildren: () => import('./rooms/rooms.routes').then((m) => m.roomsRoutes) },
      {
        path: 'sessions',
        title: 'Your sessions · Chat',
        loadComponent: () => import('./auth/sessions.page').then((m) => m.SessionsPage),
      },
      {
        path: 'account',
        title: 'Your account · Chat',
        loadComponent: () => import('./auth/account.page').then((m) => m.AccountPage),
      },
      {
        path: 'direct/new',
        title: 'Message someone · Chat',
        loadComponent: () => import('./people/new-direct.page').then((m) => m.NewDirectPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
