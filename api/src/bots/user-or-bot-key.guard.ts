import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';

import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { isApiKey } from './api-key';
import { BotsService } from './bots.service';

/** The request of a route open to people (JWT) and bots (API key, the same `Authorization: Bearer`). */
export interface UserOrBotRequest extends Request {
  user: AuthUser;
  /** The rooms the API key may post to; absent for a person. */
  botKeyRoomIds?: string[];
}

/**
 * For routes marked @Public() (so the global JWT guard stands aside): a bot's API key is checked here,
 * anything else goes through the same JWT strategy as every other route.
 */
@Injectable()
export class UserOrBotKeyGuard extends AuthGuard('jwt') {
  constructor(private readonly bots: BotsService) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<UserOrBotRequest>();
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !isApiKey(token)) return (await super.canActivate(context)) as boolean;
    const bot = await this.bots.authenticate(token);
    if (!bot) throw AppError.unauthorized('Invalid or revoked API key');
    request.user = bot.user;
    request.botKeyRoomIds = bot.roomIds;
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw AppError.unauthorized('Invalid or missing token');
    return user;
  }
}
