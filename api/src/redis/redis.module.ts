import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';

import { AllConfig } from '../config/config.type';
import { chatMetrics } from '../metrics/chat-metrics';

/**
 * The shared Redis command connection, or null in single-instance mode (no REDIS_URL).
 * Commands fail after a bounded wait instead of queueing forever while Redis is away, and an
 * `error` listener keeps a Redis outage from crashing the process.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client: Redis | null;
  readonly keyPrefix: string;
  private readonly duplicates: Redis[] = [];

  constructor(config: ConfigService<AllConfig, true>) {
    const url = config.get('redis.url', { infer: true });
    this.keyPrefix = config.get('redis.keyPrefix', { infer: true });
    this.client = url ? this.connect(url, 'commands') : null;
  }

  /** A further connection (pub/sub needs its own), with the same settings. */
  duplicate(role: string): Redis {
    if (!this.client) throw new Error('Redis is not configured');
    const connection = this.watch(this.client.duplicate(), role);
    this.duplicates.push(connection);
    return connection;
  }

  key(...parts: string[]): string {
    return [this.keyPrefix, ...parts].join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    const connections = [...this.duplicates, ...(this.client ? [this.client] : [])];
    await Promise.all(
      connections.map((connection) => connection.quit().catch(() => connection.disconnect())),
    );
  }

  private connect(url: string, role: string): Redis {
    return this.watch(
      new Redis(url, {
        maxRetriesPerRequest: 2,
        connectTimeout: 2_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      }),
      role,
    );
  }

  private watch(client: Redis, role: string): Redis {
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

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
