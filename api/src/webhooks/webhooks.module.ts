import { Module } from '@nestjs/common';

import { MessagesModule } from '../messages/messages.module';
import { RoomsDataModule } from '../rooms/rooms-data.module';
import { RoomWebhooks } from './room-webhooks';
import { WebhookQueue } from './webhook-queue';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Outgoing webhooks of rooms: signed, queued in Redis before the message is acked, retried, logged. */
@Module({
  imports: [MessagesModule, RoomsDataModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhooksRepository, RoomWebhooks, WebhookQueue],
})
export class WebhooksModule {}
