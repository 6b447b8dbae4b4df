import { inject } from '@angular/core';
import { CanMatchFn, Router } from '@angular/router';

import { AuthStore } from './auth-store';

/** The chat needs a session; without one, sign in first. */
export const signedInGuard: CanMatchFn = () =>
  inject(AuthStore).isSignedIn() || inject(Router).parseUrl('/sign-in');

/**
 * Sign-in and registration are for visitors. For a signed-in user the routes simply do not match
 * (a redirect to / would match these same routes again, forever): the chat routes take the URL.
 */
export const visitorGuard: CanMatchFn = () => !inject(AuthStore).isSignedIn();
