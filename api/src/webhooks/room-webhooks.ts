import { Injectable } from '@nestjs/common';

import type { Webhook } from '@chat/contracts';

import { RedisConnection } from '../redis/redis.module';
import { WebhooksRepository } from './webhooks.repository';

/** Rooms whose lists this instance keeps; past it the copies are dropped and read again. */
const ROOMS_KEPT = 10_000;

/**
 * This instance's copies of the rooms' active webhook lists, each checked against the room's
 * version in Redis before use: a webhook added, removed or enabled on any instance takes part in
 * the next message on every instance (one GET per message instead of a query). While Redis is down
 * the list is read from the database, so an outage costs a query, never a delivery or a wait.
 */
@Injectable()
export class RoomWebhooks {
  private readonly byRoom = new Map<string, { version: string | null; hooks: Promise<Webhook[]> }>();

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly redis: RedisConnection,
  ) {}

  async activeOf(roomId: string): Promise<Webhook[]> {
    const version = await this.versionOf(roomId);
    const cached = this.byRoom.get(roomId);
    if (version !== undefined && cached?.version === version) return cached.hooks;
    const hooks = this.webhooks.activeOfRoom(roomId);
    if (version === undefined) return hooks;
    if (this.byRoom.size >= ROOMS_KEPT) this.byRoom.clear();
    this.byRoom.set(roomId, { version, hooks });
    hooks.catch(() => this.byRoom.delete(roomId));
    return hooks;
  }

  /** Call once a change to the room's webhooks is committed, before it is answered. */
  async changed(roomId: string): Promise<void> {
    this.byRoom.delete(roomId);
    await this.redis.client?.incr(this.versionKey(roomId));
  }

  /**
   * The room's version; null when it never changed (or without Redis); undefined when Redis is not
   * connected or did not answer. A connection that is down is not waited for: ioredis would hold the
   * command through its reconnect attempts, and every send with it.
   */
  private async versionOf(roomId: string): Promise<string | null | undefined> {
    const client = this.redis.client;
    if (!client) return null;
    if (client.status !== 'ready') return undefined;
    return client.get(this.versionKey(roomId)).catch(() => undefined);
  }

  private versionKey(roomId: string): string {
    return this.redis.key('webhooks', roomId, 'version');
  }
}
