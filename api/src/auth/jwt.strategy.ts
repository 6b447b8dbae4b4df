import { Injectable } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

import type { AuthUser, TokenClaims } from './auth-user';
import { AuthService } from './auth.service';
import type { RequestWithClaims } from './current-token.decorator';
import { JWT_SECRET, JwtKey } from './jwt-secret.provider';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(JWT_SECRET) key: JwtKey,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands it to jsonwebtoken, which takes a KeyObject.
      secretOrKey: key as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(request: RequestWithClaims, claims: TokenClaims): Promise<AuthUser> {
    const user = await this.auth.userOfClaims(claims);
    request.tokenClaims = claims;
    return user;
  }
}
