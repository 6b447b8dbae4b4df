import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import * as passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy, VerifiedCallback } from 'passport-jwt';

import { AppError } from '../common/app-error';
import type { AuthUser, TokenClaims } from './auth-user';
import { AuthService } from './auth.service';
import type { RequestWithClaims } from './current-token.decorator';
import { JWT_SECRET, JwtKey } from './jwt-secret.provider';

const REFUSAL = 'Invalid or missing token';

/**
 * The HTTP side of token checks, for every guard: `Authorization: Bearer <jwt>` → the user, with the
 * token's claims left on the request. passport-jwt checks the token, on an `Authenticator` of this
 * app's own: passport's default one keeps one strategy per name per process, so with several apps in
 * one process (the e2e suites) every app checked tokens with the strategy of the app created last,
 * and once that app was closed, with its closed Redis connection — a 500 on every authenticated route.
 */
@Injectable()
export class BearerAuth {
  private readonly authenticator = new passport.Authenticator();

  constructor(
    @Inject(JWT_SECRET) key: JwtKey,
    private readonly auth: AuthService,
  ) {
    this.authenticator.use(
      'jwt',
      new JwtStrategy(
        {
          jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
          // passport-jwt hands it to jsonwebtoken, which takes a KeyObject.
          secretOrKey: key as unknown as string,
          algorithms: ['HS256'],
          passReqToCallback: true,
        },
        (request: RequestWithClaims, claims: TokenClaims, done: VerifiedCallback) => {
          // A valid token whose user cannot be read (e.g. the database is down) is a 503, not a log-out.
          this.auth.userOfClaims(claims).then((user) => {
            request.tokenClaims = claims;
            done(null, user);
          }, done);
        },
      ),
    );
  }

  authenticate(request: Request & RequestWithClaims): Promise<AuthUser> {
    return new Promise((resolve, reject) => {
      const callback = (error: unknown, user: AuthUser | false) => {
        if (error) reject(error instanceof Error ? error : AppError.unauthorized(REFUSAL));
        else if (!user) reject(AppError.unauthorized(REFUSAL));
        else resolve(user);
      };
      this.authenticator.authenticate('jwt', { session: false }, callback)(request, {}, reject);
    });
  }
}
