import { Routes } from '@angular/router';

import { SignInPage } from './sign-in.page';

export const authRoutes: Routes = [
  // Visitors landing on / (or on a chat link) start at sign-in.
  { path: '', pathMatch: 'full', redirectTo: 'sign-in' },
  { path: 'sign-in', title: 'Sign in · Chat', component: SignInPage, data: { mode: 'sign-in' } },
  { path: 'register', title: 'Create account · Chat', component: SignInPage, data: { mode: 'register' } },
];
