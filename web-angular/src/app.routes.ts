import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    title: 'Chat gateway',
    loadComponent: () => import('./home/home.page').then((m) => m.HomePage),
  },
  { path: '**', redirectTo: '' },
];
