import { ExecutionContext, createParamDecorator } from '@nestjs/common';

import type { TokenClaims } from './auth-user';

export interface RequestWithClaims {
  tokenClaims?: TokenClaims;
}

/** The verified claims of the request's bearer token (set by the JWT strategy beside the user). */
export const CurrentToken = createParamDecorator(
  (_: unknown, context: ExecutionContext): TokenClaims =>
    context.switchToHttp().getRequest<RequestWithClaims>().tokenClaims!,
);
