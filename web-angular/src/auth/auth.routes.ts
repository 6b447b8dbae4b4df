import { Routes } from '@angular/router';

import { SignInPage } from './sign-in.page';

export const authRoutes: Routes = [
  { path: 'sign-in', title: 'Sign in · Chat', component: SignInPage, data: { mode: 'sign-in' } },
  { path: 'register', title: 'Create account · Chat', component: SignInPage, data: { mode: 'register' } },
];
