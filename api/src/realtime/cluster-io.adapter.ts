import { INestApplicationContext, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createRedisAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import type { Server, ServerOptions } from 'socket.io';

import { Limits } from '@chat/contracts';

import { AllConfig } from '../config/config.type';
import { RedisConnection } from '../redis/redis.module';

/** A message body is ≤ 4,000 UTF-16 units (≤ 12 KB as UTF-8); anything far larger is hostile. */
const MAX_PACKET_BYTES = Limits.MESSAGE_BODY_MAX * 4 + 4_096;

/**
 * Socket.IO server options shared by every instance, and the adapter that carries room emits between
 * instances: in-memory without Redis, else the one SOCKET_ADAPTER names.
 */
export class ClusterIoAdapter extends IoAdapter {
  private readonly logger = new Logger(ClusterIoAdapter.name);
  private readonly config: ConfigService<AllConfig, true>;
  private readonly redis: RedisConnection;

  constructor(app: INestApplicationContext) {
    super(app);
    this.config = app.get(ConfigService);
    this.redis = app.get(RedisConnection);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const kind = this.redis.client ? this.config.get('redis.adapter', { infer: true }) : 'memory';
    const server: Server = super.createIOServer(port, {
      ...options,
      path: '/socket.io',
      cors: { origin: this.config.get('app.corsOrigins', { infer: true }), credentials: true },
      maxHttpBufferSize: MAX_PACKET_BYTES,
      perMessageDeflate: false,
      httpCompression: false,
      pingInterval: 25_000,
      pingTimeout: 20_000,
      connectTimeout: 10_000,
      ...(kind === 'redis-streams'
        ? {
            // Recovery replays missed room events from the stream; skipMiddlewares: false re-runs the
            // handshake auth, so an expired token or a removed account cannot come back this way.
            connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
          }
        : {}),
    });
    if (kind !== 'memory') server.adapter(this.createAdapter(kind));
    this.logger.log(`Socket.IO adapter: ${kind}`);
    return server;
  }

  private createAdapter(kind: AllConfig['redis']['adapter']) {
    const prefix = this.redis.key('sio');
    switch (kind) {
      case 'redis':
        return createRedisAdapter(this.redis.duplicate('adapter-pub'), this.redis.duplicate('adapter-sub'), {
          key: prefix,
        });
      case 'redis-sharded':
        return createShardedAdapter(
          this.redis.duplicate('adapter-pub'),
          this.redis.duplicate('adapter-sub'),
          {
            channelPrefix: prefix,
            subscriptionMode: 'dynamic',
          },
        );
      case 'redis-streams':
        return createStreamsAdapter(this.redis.duplicate('adapter-streams'), { streamName: prefix });
    }
  }
}
