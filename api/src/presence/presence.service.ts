import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import type { ClusterStats } from '@chat/contracts';

import { tickBatcher } from '../common/tick-batcher';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { MembershipsRepository } from '../rooms/memberships.repository';
import type { PresenceStore } from './presence-store';

export const PRESENCE_STORE = Symbol('PRESENCE_STORE');
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Two missed heartbeats and then some: a dead instance leaves presence within 12–17 s. */
export const INSTANCE_STALE_AFTER_MS = 12_000;

/**
 * Who is online, cluster-wide, and the `presence` events that announce a user's first connection
 * and last disconnection to the rooms they belong to.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** A connection storm announces thousands of users: their rooms are read in one query per turn. */
  private readonly roomsOf = tickBatcher<string, string[]>((userIds) =>
    this.memberships.roomIdsOfUsers(userIds),
  );

  constructor(
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly memberships: MembershipsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A previous process with the same INSTANCE_ID (a restarted container) may have left its share behind.
    await this.store
      .leave()
      .catch((error: Error) => this.logger.warn(`Presence reset failed: ${error.message}`));
    await this.beat();
    this.heartbeatTimer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.heartbeatTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.store.leave().catch(() => undefined);
  }

  async connected(userId: string): Promise<void> {
    const firstAnywhere = await this.store.addConnection(userId);
    if (firstAnywhere) await this.announce(userId, true);
  }

  async disconnected(userId: string): Promise<void> {
    const lastAnywhere = await this.store.removeConnection(userId);
    if (lastAnywhere) await this.announce(userId, false);
  }

  connectionsOf(userId: string): Promise<number> {
    return this.store.connectionsOf(userId);
  }

  onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return this.store.onlineAmong(userIds);
  }

  stats(): Promise<ClusterStats> {
    return this.store.stats();
  }

  private async beat(): Promise<void> {
    try {
      const offline = await this.store.heartbeat();
      for (const userId of offline) await this.announce(userId, false);
    } catch (error) {
      this.logger.warn(`Presence heartbeat failed: ${(error as Error).message}`);
    }
  }

  private async announce(userId: string, online: boolean): Promise<void> {
    this.broadcaster.toRooms(await this.roomsOf.load(userId), 'presence', { userId, online });
  }
}
