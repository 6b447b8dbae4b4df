import { ExecutionContext, createParamDecorator } from '@nestjs/common';

import type { AuthUser } from '../auth/auth-user';

/** The authenticated user of an HTTP request (set by the JWT strategy). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest().user,
);
