import { Module } from '@nestjs/common';

import { MessagesModule } from '../messages/messages.module';
import { WebhookQueue } from './webhook-queue';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Outgoing webhooks of rooms: signed, queued in Redis before the message is acked, retried, logged. */
@Module({
  imports: [MessagesModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookQueue],
})
export class WebhooksModule {}
