import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { MessagesModule } from '../messages/messages.module';
import { PresenceModule } from '../presence/presence.module';
import { RoomsModule } from '../rooms/rooms.module';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';
import { MessageRateLimiter } from './message-rate-limiter';
import { SessionExpiry } from './session-expiry';

@Module({
  imports: [AuthModule, RoomsModule, MessagesModule, PresenceModule],
  providers: [ChatGateway, ChatService, MessageRateLimiter, SessionExpiry],
  exports: [MessageRateLimiter],
})
export class ChatModule {}
