import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { ChatModule } from '../chat/chat.module';
import { MessagesModule } from '../messages/messages.module';
import { RoomsDataModule } from '../rooms/rooms-data.module';
import { RoomsModule } from '../rooms/rooms.module';
import { BotsController } from './bots.controller';
import { BotsRepository } from './bots.repository';
import { BotsService } from './bots.service';
import { IncomingWebhooksController } from './incoming-webhooks.controller';
import { PostMessageController } from './post-message.controller';
import { UserOrBotKeyGuard } from './user-or-bot-key.guard';

/** Bot accounts, their API keys, incoming webhooks, and posting a message over REST (people and bots). */
@Module({
  imports: [AuthModule, RoomsModule, RoomsDataModule, MessagesModule, ChatModule],
  controllers: [BotsController, PostMessageController, IncomingWebhooksController],
  providers: [BotsService, BotsRepository, UserOrBotKeyGuard],
})
export class BotsModule {}
