import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';

import { ErrorCode, Message, Webhook, WebhookDelivery, WebhookEvent } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { MessageHooks } from '../messages/message-hooks';
import { assertOwner } from '../rooms/room-owner';
import { RoomsRepository } from '../rooms/rooms.repository';
import { CreateWebhookDto, WEBHOOK_EVENTS } from './dto/create-webhook.dto';
import { DeliveryJob, WebhookQueue } from './webhook-queue';
import { newWebhookSecret, signWebhook } from './webhook-signature';
import { RoomWebhooks } from './room-webhooks';
import { WebhooksRepository } from './webhooks.repository';

const DELIVERIES_LISTED = 100;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly instanceId: string;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly roomWebhooks: RoomWebhooks,
    private readonly rooms: RoomsRepository,
    private readonly queue: WebhookQueue,
    private readonly messageHooks: MessageHooks,
    private readonly config: ConfigService<AllConfig, true>,
  ) {
    this.instanceId = config.get('app.instanceId', { infer: true });
  }

  onModuleInit(): void {
    this.messageHooks.register((event, message) => this.enqueue(event, message));
    this.queue.process((job) => this.deliver(job));
  }

  async create(callerId: string, roomId: string, dto: CreateWebhookDto): Promise<Webhook> {
    await this.assertOwner(callerId, roomId);
    if (!this.queue.available) {
      throw new AppError(
        ErrorCode.UNAVAILABLE,
        'Outgoing webhooks need Redis (REDIS_URL) for their delivery queue',
      );
    }
    const url = new URL(dto.url);
    if (url.protocol !== 'https:' && !LOOPBACK.test(url.hostname)) {
      throw AppError.validation({ url: ['url must use https (plain http only to a loopback address)'] });
    }
    const secret = newWebhookSecret();
    const webhook = await this.webhooks.insert({
      roomId,
      url: url.toString(),
      secret,
      events: dto.events ?? WEBHOOK_EVENTS,
      createdBy: callerId,
    });
    await this.roomWebhooks.changed(roomId);
    return { ...webhook, secret };
  }

  async list(callerId: string, roomId: string): Promise<Webhook[]> {
    await this.assertOwner(callerId, roomId);
    return this.webhooks.listOfRoom(roomId);
  }

  async remove(callerId: string, roomId: string, webhookId: string): Promise<void> {
    await this.assertOwner(callerId, roomId);
    await this.webhooks.remove(roomId, webhookId);
    await this.roomWebhooks.changed(roomId);
  }

  /** Turns a disabled webhook back on, with its failure count reset. */
  async enable(callerId: string, roomId: string, webhookId: string): Promise<Webhook> {
    await this.assertOwner(callerId, roomId);
    const webhook = await this.webhooks.enable(roomId, webhookId);
    if (!webhook) throw AppError.notFound('Webhook');
    await this.roomWebhooks.changed(roomId);
    return webhook;
  }

  async deliveries(callerId: string, roomId: string, webhookId: string): Promise<WebhookDelivery[]> {
    await this.assertOwner(callerId, roomId);
    return this.webhooks.deliveries(roomId, webhookId, DELIVERIES_LISTED);
  }

  /** Runs before the message is acked: once this resolves, each delivery is in Redis. */
  private async enqueue(event: WebhookEvent, message: Message): Promise<void> {
    if (!this.queue.available) return;
    const hooks = (await this.roomWebhooks.activeOf(message.roomId)).filter((hook) => hook.events.includes(event));
    // An edit is a new event each time; a repeat of the same event (a resend) is the same delivery.
    const version =
      event === 'message.created'
        ? 'v0'
        : `v${Date.parse(message.deletedAt ?? message.editedAt ?? message.createdAt)}`;
    const occurredAt =
      event === 'message.created'
        ? message.createdAt
        : (message.deletedAt ?? message.editedAt ?? message.createdAt);
    try {
      for (const hook of hooks) {
        await this.queue.add(`${hook.id}_${event}_${message.id}_${version}`, {
          webhookId: hook.id,
          event,
          occurredAt,
          message,
        });
      }
    } catch (error) {
      throw new AppError(
        ErrorCode.UNAVAILABLE,
        `Could not queue webhook deliveries, retry: ${(error as Error).message}`,
      );
    }
  }

  /** One attempt: POST the signed event, log the outcome, count failures; a throw makes BullMQ retry. */
  private async deliver(job: Job<DeliveryJob>): Promise<void> {
    const { webhookId, event, occurredAt, message } = job.data;
    const hook = await this.webhooks.target(webhookId);
    if (!hook || hook.disabled) return; // removed or disabled meanwhile: nothing to deliver
    const settings = this.config.get('webhooks', { infer: true });
    const deliveryId = job.id!;
    const attempt = job.attemptsMade + 1;
    const body = JSON.stringify({ deliveryId, event, occurredAt, message });
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'chat-gateway-webhooks/1',
          'x-chat-event': event,
          'x-chat-delivery': deliveryId,
          'x-chat-timestamp': String(timestamp),
          'x-chat-signature': signWebhook(hook.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (failure) {
      error = (failure as Error).message;
    }
    const delivered = status !== null && status >= 200 && status < 300;
    await this.webhooks.recordAttempt({
      webhookId,
      deliveryId,
      event,
      attempt,
      outcome: delivered ? 'delivered' : 'failed',
      responseStatus: status,
      error,
      instanceId: this.instanceId,
    });
    if (delivered) {
      await this.webhooks.resetFailures(webhookId);
      return;
    }
    const disabled = await this.webhooks.countFailure(webhookId, settings.disableAfterFailures);
    const reason = error ?? `HTTP ${status}`;
    if (disabled) throw new UnrecoverableError(`${reason}; webhook disabled after repeated failures`);
    throw new Error(reason);
  }

  private async assertOwner(callerId: string, roomId: string): Promise<void> {
    const room = await this.rooms.findEntity(roomId);
    if (!room) throw AppError.notFound('Room');
    assertOwner(room, callerId, 'Only the room owner can manage its webhooks');
  }
}
