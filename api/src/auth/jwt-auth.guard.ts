import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';

import { AppError } from '../common/app-error';
import { IS_PUBLIC } from '../common/public.decorator';

/** Global: every route needs a valid Bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic || super.canActivate(context);
  }

  /**
   * passport-jwt reports a missing, malformed or expired token as no user; `error` is what validate()
   * threw for a valid token — e.g. the database is unreachable (503), not a reason to log anyone out.
   */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw AppError.unauthorized('Invalid or missing token');
    return user;
  }
}
