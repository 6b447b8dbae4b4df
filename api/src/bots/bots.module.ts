import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { ChatModule } from '../chat/chat.module';
import { MessagesModule } from '../messages/messages.module';
import { RoomsDataModule } from '../rooms/rooms-data.module';
import { RoomsModule } from '../rooms/rooms.module';
import { BotKeysModule } from './bot-keys.module';
import { BotsController } from './bots.controller';
import { BotsService } from './bots.service';
import { IncomingWebhooksController } from './incoming-webhooks.controller';
import { PostMessageController } from './post-message.controller';

/** Bot accounts, their API keys, incoming webhooks, and posting a message over REST (people and bots). */
@Module({
  imports: [AuthModule, RoomsModule, RoomsDataModule, MessagesModule, ChatModule, BotKeysModule],
  controllers: [BotsController, PostMessageController, IncomingWebhooksController],
  providers: [BotsService],
})
export class BotsModule {}
