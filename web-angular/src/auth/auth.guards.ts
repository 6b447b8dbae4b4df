import { inject } from '@angular/core';
import { CanMatchFn, Router } from '@angular/router';

import { AuthStore } from './auth-store';

/** The chat needs a session; without one, sign in first. */
export const signedInGuard: CanMatchFn = () =>
  inject(AuthStore).isSignedIn() || inject(Router).parseUrl('/sign-in');

/** Sign-in and registration are for visitors; a signed-in user goes to their rooms. */
export const visitorGuard: CanMatchFn = () => !inject(AuthStore).isSignedIn() || inject(Router).parseUrl('/');
