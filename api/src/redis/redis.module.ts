import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis, { Cluster, ClusterOptions } from 'ioredis';

import { AllConfig } from '../config/config.type';
import { chatMetrics } from '../metrics/chat-metrics';
import { RedisKeys } from './redis-keys';

/** A single Redis or a Redis Cluster: the commands the service uses are the same on both. */
export type RedisClient = Redis | Cluster;

/**
 * The shared Redis command connection, or null in single-instance mode (neither REDIS_URL nor
 * REDIS_CLUSTER_NODES). Commands fail after a bounded wait instead of queueing forever while Redis
 * is away, and an `error` listener keeps a Redis outage from crashing the process.
 * Keys are built by `key()` / `taggedKey()` (see RedisKeys), never by hand.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client: RedisClient | null;
  private readonly keys: RedisKeys;
  private readonly duplicates: RedisClient[] = [];

  constructor(config: ConfigService<AllConfig, true>) {
    const url = config.get('redis.url', { infer: true });
    const clusterNodes = config.get('redis.clusterNodes', { infer: true });
    this.keys = new RedisKeys(config.get('redis.keyPrefix', { infer: true }));
    this.client = clusterNodes
      ? this.watch(new Cluster(clusterNodes, CLUSTER_OPTIONS), 'commands')
      : url
        ? this.watch(new Redis(url, SINGLE_OPTIONS), 'commands')
        : null;
  }

  /**
   * A further connection (pub/sub needs its own), with the same settings. `shardedSubscriber`: on a
   * cluster, SSUBSCRIBE goes to the master that owns each channel's slot, one connection per master,
   * and moves with the slot when a replica takes over.
   */
  duplicate(role: string, { shardedSubscriber = false } = {}): RedisClient {
    const client = this.client;
    if (!client) throw new Error('Redis is not configured');
    const connection =
      client instanceof Cluster
        ? client.duplicate(undefined, { shardedSubscribers: shardedSubscriber })
        : client.duplicate();
    this.duplicates.push(this.watch(connection, role));
    return connection;
  }

  /** A key used on its own by every command: see RedisKeys. */
  key(...parts: string[]): string {
    return this.keys.key(...parts);
  }

  /** Keys used together by one operation share the tag's slot: see RedisKeys. */
  taggedKey(tag: string, ...parts: string[]): string {
    return this.keys.taggedKey(tag, ...parts);
  }

  async onApplicationShutdown(): Promise<void> {
    const connections = [...this.duplicates, ...(this.client ? [this.client] : [])];
    await Promise.all(
      connections.map((connection) => connection.quit().catch(() => connection.disconnect())),
    );
  }

  private watch<T extends RedisClient>(client: T, role: string): T {
    let healthy = true;
    client.on('error', (error: Error) => {
      if (healthy) {
        this.logger.error(`Redis (${role}) error: ${error.message}`);
        chatMetrics.redisErrors.inc({ role });
      }
      healthy = false;
    });
    client.on('ready', () => {
      if (!healthy) this.logger.log(`Redis (${role}) connection restored`);
      healthy = true;
    });
    return client;
  }
}

const SINGLE_OPTIONS = {
  maxRetriesPerRequest: 2,
  connectTimeout: 2_000,
  retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
};

const CLUSTER_OPTIONS: ClusterOptions = {
  redisOptions: { maxRetriesPerRequest: 2, connectTimeout: 2_000 },
  clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  // When a master dies its slots answer nothing until a replica is promoted (the cluster's
  // node timeout plus an election, a few seconds). A command for such a slot is retried this far
  // apart, up to maxRedirections (16) times, so it rides out a failover instead of failing at once.
  retryDelayOnFailover: 300,
  retryDelayOnClusterDown: 300,
  slotsRefreshTimeout: 2_000,
};

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
