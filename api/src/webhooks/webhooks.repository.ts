import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { Webhook, WebhookDelivery, WebhookEvent } from '@chat/contracts';

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

/** Where and how to deliver: null when the webhook was removed. */
export interface WebhookTarget {
  url: string;
  secret: string;
  disabled: boolean;
}

/** One attempt of a delivery, as logged. */
export interface DeliveryAttempt {
  webhookId: string;
  deliveryId: string;
  event: WebhookEvent;
  attempt: number;
  outcome: WebhookDelivery['outcome'];
  responseStatus: number | null;
  error: string | null;
  instanceId: string;
}

const WEBHOOK_COLUMNS = 'id, room_id, url, events, created_at, consecutive_failures, disabled_at';

/** Queries on `webhooks` and `webhook_deliveries`. Calls naming a room only touch that room's webhooks. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(webhook: {
    roomId: string;
    url: string;
    secret: string;
    events: WebhookEvent[];
    createdBy: string;
  }): Promise<Webhook> {
    const [row]: WebhookRow[] = await this.dataSource.query(
      `INSERT INTO webhooks (room_id, url, secret, events, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${WEBHOOK_COLUMNS}`,
      [webhook.roomId, webhook.url, webhook.secret, webhook.events, webhook.createdBy],
    );
    return toWebhook(row);
  }

  async listOfRoom(roomId: string): Promise<Webhook[]> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE room_id = $1 ORDER BY created_at`,
      [roomId],
    );
    return rows.map(toWebhook);
  }

  async activeOfRoom(roomId: string): Promise<Webhook[]> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE room_id = $1 AND disabled_at IS NULL`,
      [roomId],
    );
    return rows.map(toWebhook);
  }

  async remove(roomId: string, webhookId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM webhooks WHERE id = $1 AND room_id = $2', [webhookId, roomId]);
  }

  /** Turns the webhook back on with its failure count reset; null when the room has no such webhook. */
  async enable(roomId: string, webhookId: string): Promise<Webhook | null> {
    const [row]: WebhookRow[] = await this.dataSource.query(
      `WITH w AS (UPDATE webhooks SET disabled_at = NULL, consecutive_failures = 0 WHERE id = $1 AND room_id = $2
                  RETURNING ${WEBHOOK_COLUMNS}) SELECT * FROM w`,
      [webhookId, roomId],
    );
    return row ? toWebhook(row) : null;
  }

  /** The latest attempts first. */
  async deliveries(roomId: string, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT d.delivery_id, d.event, d.attempt, d.outcome, d.response_status, d.error, d.instance_id, d.created_at
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.webhook_id = $1 AND w.room_id = $2 ORDER BY d.id DESC LIMIT $3`,
      [webhookId, roomId, limit],
    );
    return rows.map((row): WebhookDelivery => ({
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

  async target(webhookId: string): Promise<WebhookTarget | null> {
    const [row]: { url: string; secret: string; disabled_at: Date | null }[] = await this.dataSource.query(
      'SELECT url, secret, disabled_at FROM webhooks WHERE id = $1',
      [webhookId],
    );
    return row ? { url: row.url, secret: row.secret, disabled: row.disabled_at !== null } : null;
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO webhook_deliveries (webhook_id, delivery_id, event, attempt, outcome, response_status, error, instance_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        attempt.webhookId,
        attempt.deliveryId,
        attempt.event,
        attempt.attempt,
        attempt.outcome,
        attempt.responseStatus,
        attempt.error,
        attempt.instanceId,
      ],
    );
  }

  async resetFailures(webhookId: string): Promise<void> {
    await this.dataSource.query('UPDATE webhooks SET consecutive_failures = 0 WHERE id = $1', [webhookId]);
  }

  /**
   * Counts one more consecutive failure and disables the webhook when the count reaches
   * `disableAfter`, in one statement so concurrent failures count exactly. Whether it is now disabled.
   */
  async countFailure(webhookId: string, disableAfter: number): Promise<boolean> {
    const [counted]: { disabled_at: Date | null }[] = await this.dataSource.query(
      `WITH w AS (
         UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
           disabled_at = CASE WHEN consecutive_failures + 1 >= $2 THEN now() ELSE disabled_at END
         WHERE id = $1 RETURNING disabled_at)
       SELECT disabled_at FROM w`,
      [webhookId, disableAfter],
    );
    return Boolean(counted?.disabled_at);
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
