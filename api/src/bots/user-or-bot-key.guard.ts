import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

import type { AuthUser } from '../auth/auth-user';
import { BearerAuth } from '../auth/bearer-auth';
import { AppError } from '../common/app-error';
import { isApiKey } from './api-key';
import { BotKeys } from './bot-keys';

/** The request of a route open to people (JWT) and bots (API key, the same `Authorization: Bearer`). */
export interface UserOrBotRequest extends Request {
  user: AuthUser;
  /** The rooms the API key may post to; absent for a person. */
  botKeyRoomIds?: string[];
}

/**
 * For routes marked @Public() (so the global JWT guard stands aside): a bot's API key is checked here,
 * anything else goes through the same token check (BearerAuth) as every other route.
 */
@Injectable()
export class UserOrBotKeyGuard implements CanActivate {
  constructor(
    private readonly botKeys: BotKeys,
    private readonly bearer: BearerAuth,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<UserOrBotRequest>();
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !isApiKey(token)) {
      request.user = await this.bearer.authenticate(request);
      return true;
    }
    const bot = await this.botKeys.authenticate(token);
    if (!bot) throw AppError.unauthorized('Invalid or revoked API key');
    request.user = bot.user;
    request.botKeyRoomIds = bot.roomIds;
    return true;
  }
}

/** Throws FORBIDDEN when the caller is a bot whose API key does not reach this room. */
export function assertKeyReaches(request: UserOrBotRequest, roomId: string): void {
  if (request.botKeyRoomIds && !request.botKeyRoomIds.includes(roomId)) {
    throw AppError.forbidden('This API key is not scoped to this room');
  }
}
