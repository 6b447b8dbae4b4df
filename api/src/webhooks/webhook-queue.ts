import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';

import type { Message, WebhookEvent } from '@chat/contracts';

import { AllConfig } from '../config/config.type';

export interface DeliveryJob {
  webhookId: string;
  event: WebhookEvent;
  occurredAt: string;
  message: Message;
}

export type DeliveryProcessor = (job: Job<DeliveryJob>) => Promise<void>;

const QUEUE = 'webhooks';

/**
 * The durable queue of webhook deliveries: BullMQ on the app's Redis. A job is in Redis before the
 * message is acked, every instance runs a worker, and a job whose instance died is taken over by
 * another (BullMQ's stalled-job check, after `lockMs`), so delivery survives the accepting instance.
 * Retries with exponential backoff are BullMQ's. Null without REDIS_URL: webhooks are then unavailable.
 */
@Injectable()
export class WebhookQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookQueue.name);
  private readonly queue: Queue<DeliveryJob> | null = null;
  private worker: Worker<DeliveryJob> | null = null;
  private processor: DeliveryProcessor | null = null;
  private readonly connections: Redis[] = [];
  private readonly prefix: string;

  constructor(private readonly config: ConfigService<AllConfig, true>) {
    const url = config.get('redis.url', { infer: true });
    // One hash tag for every key of the queue: BullMQ's scripts touch several keys at once, which a
    // Redis Cluster only allows within one slot.
    this.prefix = `${config.get('redis.keyPrefix', { infer: true })}:{bull}`;
    if (!url) return;
    // Producers fail fast (a message send must not hang on a Redis outage); BullMQ requires workers to retry forever.
    this.queue = new Queue(QUEUE, { connection: this.connect(url, 2), prefix: this.prefix });
    this.queue.on('error', (error) => this.logger.warn(`Webhook queue: ${error.message}`));
  }

  get available(): boolean {
    return this.queue !== null;
  }

  /** Registered by the delivery service; the worker starts once the application is up. */
  process(processor: DeliveryProcessor): void {
    this.processor = processor;
  }

  /** Idempotent per `deliveryId`: a repeat (the sender resent its message) adds nothing. */
  async add(deliveryId: string, job: DeliveryJob): Promise<void> {
    if (!this.queue) return;
    const settings = this.config.get('webhooks', { infer: true });
    await this.queue.add('deliver', job, {
      jobId: deliveryId,
      attempts: settings.maxAttempts,
      backoff: { type: 'exponential', delay: settings.backoffMs },
      // Kept a day after success so a late repeat of the same message is still recognised.
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  onApplicationBootstrap(): void {
    const url = this.config.get('redis.url', { infer: true });
    if (!url || !this.processor) return;
    const { lockMs } = this.config.get('webhooks', { infer: true });
    this.worker = new Worker(QUEUE, this.processor, {
      connection: this.connect(url, null),
      prefix: this.prefix,
      concurrency: 8,
      lockDuration: lockMs,
      stalledInterval: lockMs,
    });
    this.worker.on('error', (error) => this.logger.warn(`Webhook worker: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    // Waits for deliveries in progress, so a drained instance hands nothing half-done to the others.
    await this.worker?.close();
    await this.queue?.close();
    await Promise.all(
      this.connections.map((connection) => connection.quit().catch(() => connection.disconnect())),
    );
  }

  private connect(url: string, maxRetriesPerRequest: number | null): Redis {
    const connection = new Redis(url, { maxRetriesPerRequest, connectTimeout: 2_000 });
    connection.on('error', () => undefined); // reported through the queue's and the worker's error events
    this.connections.push(connection);
    return connection;
  }
}
