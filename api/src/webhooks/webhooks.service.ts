import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';

import { ErrorCode, Message, Webhook, WebhookDelivery, WebhookEvent } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { MessageHooks } from '../messages/message-hooks';
import { CreateWebhookDto, WEBHOOK_EVENTS } from './dto/create-webhook.dto';
import { DeliveryJob, WebhookQueue } from './webhook-queue';
import { newWebhookSecret, signWebhook } from './webhook-signature';

interface WebhookRow {
  id: string;
  room_id: string;
  url: string;
  events: WebhookEvent[];
  created_at: Date;
  consecutive_failures: number;
  disabled_at: Date | null;
}

interface DeliveryRow {
  delivery_id: string;
  event: WebhookEvent;
  attempt: number;
  outcome: WebhookDelivery['outcome'];
  response_status: number | null;
  error: string | null;
  instance_id: string;
  created_at: Date;
}

const WEBHOOK_COLUMNS = 'id, room_id, url, events, created_at, consecutive_failures, disabled_at';
/**
 * How long an instance trusts its list of a room's webhooks. The list is read per message otherwise;
 * a webhook added or removed on another instance is seen by this one within this time.
 */
const ROOM_CACHE_MS = 2_000;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly byRoom = new Map<string, { until: number; hooks: Promise<WebhookRow[]> }>();
  private readonly instanceId: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const [row]: WebhookRow[] = await this.dataSource.query(
      `INSERT INTO webhooks (room_id, url, secret, events, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${WEBHOOK_COLUMNS}`,
      [roomId, url.toString(), secret, dto.events ?? WEBHOOK_EVENTS, callerId],
    );
    this.byRoom.delete(roomId);
    return { ...toWebhook(row), secret };
  }

  async list(callerId: string, roomId: string): Promise<Webhook[]> {
    await this.assertOwner(callerId, roomId);
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE room_id = $1 ORDER BY created_at`,
      [roomId],
    );
    return rows.map(toWebhook);
  }

  async remove(callerId: string, roomId: string, webhookId: string): Promise<void> {
    await this.assertOwner(callerId, roomId);
    await this.dataSource.query('DELETE FROM webhooks WHERE id = $1 AND room_id = $2', [webhookId, roomId]);
    this.byRoom.delete(roomId);
  }

  /** Turns a disabled webhook back on, with its failure count reset. */
  async enable(callerId: string, roomId: string, webhookId: string): Promise<Webhook> {
    await this.assertOwner(callerId, roomId);
    const [row]: WebhookRow[] = await this.dataSource.query(
      `WITH w AS (UPDATE webhooks SET disabled_at = NULL, consecutive_failures = 0 WHERE id = $1 AND room_id = $2
                  RETURNING ${WEBHOOK_COLUMNS}) SELECT * FROM w`,
      [webhookId, roomId],
    );
    if (!row) throw AppError.notFound('Webhook');
    this.byRoom.delete(roomId);
    return toWebhook(row);
  }

  async deliveries(callerId: string, roomId: string, webhookId: string): Promise<WebhookDelivery[]> {
    await this.assertOwner(callerId, roomId);
    const rows = await this.dataSource.query(
      `SELECT d.delivery_id, d.event, d.attempt, d.outcome, d.response_status, d.error, d.instance_id, d.created_at
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.webhook_id = $1 AND w.room_id = $2 ORDER BY d.id DESC LIMIT 100`,
      [webhookId, roomId],
    );
    return rows.map((row: DeliveryRow): WebhookDelivery => ({
      deliveryId: row.delivery_id,
      event: row.event,
      attempt: row.attempt,
      outcome: row.outcome,
      responseStatus: row.response_status,
      error: row.error,
      instanceId: row.instance_id,
      createdAt: row.created_at.toISOString(),
    }));
  }

  /** Runs before the message is acked: once this resolves, each delivery is in Redis. */
  private async enqueue(event: WebhookEvent, message: Message): Promise<void> {
    if (!this.queue.available) return;
    const hooks = (await this.activeWebhooksOf(message.roomId)).filter((hook) => hook.events.includes(event));
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

  private activeWebhooksOf(roomId: string): Promise<WebhookRow[]> {
    const cached = this.byRoom.get(roomId);
    if (cached && cached.until > Date.now()) return cached.hooks;
    const hooks: Promise<WebhookRow[]> = this.dataSource.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE room_id = $1 AND disabled_at IS NULL`,
      [roomId],
    );
    this.byRoom.set(roomId, { until: Date.now() + ROOM_CACHE_MS, hooks });
    hooks.catch(() => this.byRoom.delete(roomId));
    return hooks;
  }

  /** One attempt: POST the signed event, log the outcome, count failures; a throw makes BullMQ retry. */
  private async deliver(job: Job<DeliveryJob>): Promise<void> {
    const { webhookId, event, occurredAt, message } = job.data;
    const [hook] = await this.dataSource.query(
      'SELECT url, secret, disabled_at FROM webhooks WHERE id = $1',
      [webhookId],
    );
    if (!hook || hook.disabled_at) return; // removed or disabled meanwhile: nothing to deliver
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
    await this.dataSource.query(
      `INSERT INTO webhook_deliveries (webhook_id, delivery_id, event, attempt, outcome, response_status, error, instance_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        webhookId,
        deliveryId,
        event,
        attempt,
        delivered ? 'delivered' : 'failed',
        status,
        error,
        this.instanceId,
      ],
    );
    if (delivered) {
      await this.dataSource.query('UPDATE webhooks SET consecutive_failures = 0 WHERE id = $1', [webhookId]);
      return;
    }
    const [counted] = await this.dataSource.query(
      `WITH w AS (
         UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
           disabled_at = CASE WHEN consecutive_failures + 1 >= $2 THEN now() ELSE disabled_at END
         WHERE id = $1 RETURNING disabled_at)
       SELECT disabled_at FROM w`,
      [webhookId, settings.disableAfterFailures],
    );
    const reason = error ?? `HTTP ${status}`;
    if (counted?.disabled_at)
      throw new UnrecoverableError(`${reason}; webhook disabled after repeated failures`);
    throw new Error(reason);
  }

  private async assertOwner(callerId: string, roomId: string): Promise<void> {
    const [room] = await this.dataSource.query('SELECT owner_id, kind FROM rooms WHERE id = $1', [roomId]);
    if (!room) throw AppError.notFound('Room');
    if (room.kind !== 'group' || room.owner_id !== callerId) {
      throw AppError.forbidden('Only the room owner can manage its webhooks');
    }
  }
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    roomId: row.room_id,
    url: row.url,
    events: row.events,
    createdAt: row.created_at.toISOString(),
    consecutiveFailures: row.consecutive_failures,
    disabledAt: row.disabled_at?.toISOString() ?? null,
  };
}
