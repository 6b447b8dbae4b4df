import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { MessagesModule } from '../messages/messages.module';
import { PresenceModule } from '../presence/presence.module';
import { RoomsModule } from '../rooms/rooms.module';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';
import { ClientEventBudgets } from './client-event-budgets';
import { ClientEventGuard } from './client-event.guard';
import { ChatRecoveryPolicy } from './recovery-policy';
import { SessionExpiry } from './session-expiry';
import { SocketAccess } from './socket-access';

@Module({
  imports: [AuthModule, RoomsModule, MessagesModule, PresenceModule],
  providers: [
    ChatGateway,
    ChatService,
    ChatRecoveryPolicy,
    ClientEventBudgets,
    ClientEventGuard,
    SocketAccess,
    SessionExpiry,
  ],
  exports: [ClientEventBudgets],
})
export class ChatModule {}
