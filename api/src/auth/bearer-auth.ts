import { Injectable } from '@nestjs/common';
import type { Request } from 'express';

import { AppError } from '../common/app-error';
import type { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import type { RequestWithClaims } from './current-token.decorator';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The HTTP side of token checks, for every guard: `Authorization: Bearer <jwt>` → the user, with the
 * token's claims left on the request. An injectable of this app rather than a passport strategy:
 * passport keeps strategies in one registry per process, so with several apps in one process
 * (the e2e suites) every app checked tokens with the strategy of the app created last, and once
 * that app was closed, with its closed Redis connection — a 500 on every authenticated route.
 */
@Injectable()
export class BearerAuth {
  constructor(private readonly auth: AuthService) {}

  async authenticate(request: Request & RequestWithClaims): Promise<AuthUser> {
    const token = BEARER.exec(request.headers.authorization?.trim() ?? '')?.[1];
    if (!token) throw AppError.unauthorized('Invalid or missing token');
    const claims = await this.auth.claimsOf(token, 'Invalid or missing token');
    // A valid token whose user cannot be read (e.g. the database is down) is a 503, not a log-out.
    const user = await this.auth.userOfClaims(claims);
    request.tokenClaims = claims;
    return user;
  }
}
