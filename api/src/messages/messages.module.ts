import { Module } from '@nestjs/common';

import { BotKeysModule } from '../bots/bot-keys.module';
import { RoomsModule } from '../rooms/rooms.module';
import { MessageHooks } from './message-hooks';
import { MessageWriter } from './message-writer';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({
  imports: [RoomsModule, BotKeysModule],
  controllers: [MessagesController],
  providers: [MessagesService, MessageWriter, MessageHooks],
  exports: [MessagesService, MessageHooks],
})
export class MessagesModule {}
