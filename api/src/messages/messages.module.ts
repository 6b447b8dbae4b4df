import { Module } from '@nestjs/common';

import { AttachmentsDataModule } from '../attachments/attachments-data.module';
import { AttachmentsModule } from '../attachments/attachments.module';
import { BotKeysModule } from '../bots/bot-keys.module';
import { RoomsDataModule } from '../rooms/rooms-data.module';
import { RoomsModule } from '../rooms/rooms.module';
import { MessageHooks } from './message-hooks';
import { MessageWriter } from './message-writer';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { ReactionsRepository } from './reactions.repository';
import { ReactionsService } from './reactions.service';

@Module({
  imports: [RoomsModule, RoomsDataModule, BotKeysModule, AttachmentsModule, AttachmentsDataModule],
  controllers: [MessagesController],
  providers: [
    MessagesService,
    MessageWriter,
    MessageHooks,
    MessagesRepository,
    ReactionsService,
    ReactionsRepository,
  ],
  exports: [MessagesService, MessageHooks, ReactionsService],
})
export class MessagesModule {}
