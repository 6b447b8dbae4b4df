import { INestApplicationContext, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter as createRedisAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { Observable, isObservable, lastValueFrom } from 'rxjs';
import type { Server, ServerOptions } from 'socket.io';

import { Limits } from '@chat/contracts';

import { AddressLimiter } from '../common/address-limiter';
import { createClientAddress } from '../common/client-address';
import { createOriginCheck } from '../common/origins';
import { attachSocketLogContext } from '../common/socket-log-context';
import { AllConfig } from '../config/config.type';
import { chatMetrics } from '../metrics/chat-metrics';
import { RedisClient, RedisConnection } from '../redis/redis.module';
import { instrumentAdminUi } from './admin-ui';

/**
 * The largest packet a client may send. A valid message body has ≤ 4,000 characters, and JSON takes
 * at most 6 bytes for one (a control character is escaped as \u00XX), so a valid message fits in
 * 24 KB plus its other fields; anything far larger is hostile and closes the connection.
 */
export const MAX_PACKET_BYTES = Limits.MESSAGE_BODY_MAX * 6 + 4_096;

/** Admin UI sign-in attempts per client address: enough for typos, far too few for guessing. */
const ADMIN_UI_ATTEMPTS = { points: 10, windowSeconds: 15 * 60 };

/**
 * Socket.IO server options shared by every instance, and the adapter that carries room emits between
 * instances: in-memory without Redis, else the one SOCKET_ADAPTER names.
 */
export class ClusterIoAdapter extends IoAdapter {
  private readonly logger = new Logger(ClusterIoAdapter.name);
  private readonly config: ConfigService<AllConfig, true>;
  private readonly redis: RedisConnection;
  /** Cross-instance emits lost to a Redis failure (local delivery still happened). */
  droppedPublishes = 0;

  constructor(app: INestApplicationContext) {
    super(app);
    this.config = app.get(ConfigService);
    this.redis = app.get(RedisConnection);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const kind = this.redis.client ? this.config.get('redis.adapter', { infer: true }) : 'memory';
    const corsOrigins = this.config.get('app.corsOrigins', { infer: true });
    const server: Server = super.createIOServer(port, {
      ...options,
      path: '/socket.io',
      cors: { origin: corsOrigins, credentials: true },
      // CORS headers do not stop a WebSocket handshake from another site; this refuses it.
      allowRequest: createOriginCheck(corsOrigins),
      maxHttpBufferSize: MAX_PACKET_BYTES,
      perMessageDeflate: false,
      httpCompression: false,
      pingInterval: 25_000,
      pingTimeout: 20_000,
      connectTimeout: 10_000,
      ...(kind === 'redis-streams'
        ? {
            // Recovery replays missed room events from the stream. socket.io writes that replay
            // before the handshake middlewares run, so the chat gateway gates it (gateRecovery:
            // verified token, same user, rooms still theirs); skipMiddlewares: false then runs the
            // handshake checks on the recovered socket as on any other.
            connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
          }
        : {}),
    });
    if (kind !== 'memory') server.adapter(this.createAdapter(kind));
    // Before the gateway's handshake middlewares, so their logs carry the socket id too.
    attachSocketLogContext(server);
    this.logger.debug(`Socket.IO adapter: ${kind}`);
    chatMetrics.adapter.reset();
    chatMetrics.adapter.set({ adapter: kind }, 1);
    const adminUi = this.config.get('app.adminUi', { infer: true });
    if (adminUi) {
      instrumentAdminUi(server, adminUi, this.config.get('app.instanceId', { infer: true }), {
        attempts: AddressLimiter.create(
          'admin-ui-attempts',
          'admin sign-in attempts',
          ADMIN_UI_ATTEMPTS,
          this.redis.client
            ? { client: this.redis.client, keyPrefix: this.redis.key('admin-ui-attempts') }
            : null,
        ),
        clientAddress: createClientAddress(this.config.get('app.trustProxy', { infer: true })),
      });
    }
    return server;
  }

  /**
   * Nest's IoAdapter builds, for every socket, one rxjs pipeline per @SubscribeMessage handler
   * (fromEvent + mergeMap + takeUntil, and a disconnect stream), and one more Observable chain per
   * event received. With tens of thousands of mostly idle sockets that is most of an instance's
   * memory per connection, and a measurable share of the CPU per message. This binds plain
   * listeners with the same contract: the handler's result (value, Promise or Observable) is the
   * ack; `{ event, data }` is emitted instead; nothing is sent for undefined (e.g. after an exception
   * filter has already answered). Listeners go away with the socket.
   */
  override bindMessageHandlers(
    socket: Parameters<IoAdapter['bindMessageHandlers']>[0],
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        // As rxjs fromEvent delivers it: the single argument, or all of them as an array.
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
        void settle(callback(data, ack), transform).then(
          (response) => {
            if (response === undefined || response === null) return;
            const reply = response as { event?: string; data?: unknown };
            if (reply.event) socket.emit(reply.event, reply.data);
            else if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          // Nest's exception layer has already handled (and answered) anything a handler throws.
          () => undefined,
        );
      });
    }
  }

  private createAdapter(kind: AllConfig['redis']['adapter']) {
    const prefix = this.redis.key('sio');
    switch (kind) {
      case 'redis':
        return createRedisAdapter(this.publisher('publish'), this.redis.duplicate('adapter-sub'), {
          key: prefix,
        });
      case 'redis-sharded':
        // One channel per room (dynamic): on a Redis Cluster each room's traffic goes to the shard
        // that owns its channel's slot, so rooms spread over the masters.
        return createShardedAdapter(this.publisher('spublish'), this.shardedSubscriber(), {
          channelPrefix: prefix,
          subscriptionMode: 'dynamic',
        });
      case 'redis-streams':
        return createStreamsAdapter(this.streamsPublisher(), { streamName: prefix });
    }
  }

  /**
   * The adapters publish without handling a failed publish: while Redis is down (or after it was
   * closed at shutdown) that is an unhandled rejection, which would crash the process. Here a failed
   * publish is counted and logged instead; local delivery has already happened, and clients fill
   * what other instances missed from history by seq.
   */
  private publisher(method: 'publish' | 'spublish' | 'xadd'): RedisClient {
    const client = this.redis.duplicate(`adapter-${method}`);
    const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      original(...args).catch((error: Error) => {
        this.droppedPublishes++;
        chatMetrics.droppedPublishes.inc();
        if (this.droppedPublishes === 1 || this.droppedPublishes % 100 === 0) {
          this.logger.warn(
            `Redis ${method} failed (${this.droppedPublishes} dropped so far): ${error.message}`,
          );
        }
        return null;
      });
    return client;
  }

  /**
   * The streams adapter subscribes (for its ephemeral messages) on a duplicate of this client without
   * handling a failed SUBSCRIBE: an instance closed before that subscription was answered (a deploy
   * that stops an instance just started) disconnects the duplicate and leaves an unhandled rejection.
   */
  private streamsPublisher(): RedisClient {
    const client = this.publisher('xadd');
    const duplicate = client.duplicate.bind(client) as () => RedisClient;
    (client as unknown as Record<string, unknown>).duplicate = () => {
      const subscriber = duplicate();
      const subscribe = subscriber.subscribe.bind(subscriber) as (...args: unknown[]) => Promise<unknown>;
      (subscriber as unknown as Record<string, unknown>).subscribe = (...args: unknown[]) =>
        subscribe(...args).catch((error: Error) => {
          this.logger.warn(`Redis subscribe failed: ${error.message}`);
          return null;
        });
      return subscriber;
    };
    return client;
  }

  /**
   * The adapter does not handle a failed SSUBSCRIBE either (a room joined while its shard is failing
   * over). ioredis has recorded the channel before sending, and subscribes it again on the new master
   * once the cluster's topology has changed; the failure is only logged.
   */
  private shardedSubscriber(): RedisClient {
    const client = this.redis.duplicate('adapter-sub', { shardedSubscriber: true });
    for (const method of ['ssubscribe', 'sunsubscribe'] as const) {
      const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
        original(...args).catch((error: Error) => {
          this.logger.warn(`Redis ${method} failed: ${error.message}`);
          return null;
        });
    }
    return client;
  }
}

/** A handler's result as one value: awaited if a Promise, the last value if an Observable. */
async function settle(result: unknown, transform: (data: unknown) => Observable<unknown>): Promise<unknown> {
  const value = await result;
  if (!isObservable(value)) return value;
  return lastValueFrom(transform(value), { defaultValue: undefined });
}
