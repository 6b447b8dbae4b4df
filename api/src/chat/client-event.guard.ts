import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

import type { ChatSocket } from '../realtime/socket-types';
import { ClientEventBudgets } from './client-event-budgets';
import { SocketAccess } from './socket-access';

/**
 * Runs before every socket event handler of the gateway (and before its payload is validated):
 * the event is counted against the user's budget for it, then the socket's credentials are
 * re-checked. Either refusal reaches the client as the error ack (RATE_LIMITED with `retryAfter`,
 * UNAUTHORIZED or FORBIDDEN) through the gateway's exception filter.
 */
@Injectable()
export class ClientEventGuard implements CanActivate {
  constructor(
    private readonly budgets: ClientEventBudgets,
    private readonly access: SocketAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const ws = context.switchToWs();
    const socket = ws.getClient<ChatSocket>();
    await this.budgets.consume(socket.data.user.id, ws.getPattern());
    await this.access.assertActive(socket);
    return true;
  }
}
