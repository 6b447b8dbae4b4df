import { registerAs } from '@nestjs/config';

import { oneOf, readEnv, text } from './env-var';

export const SOCKET_ADAPTERS = ['redis', 'redis-sharded', 'redis-streams'] as const;
export type SocketAdapterKind = (typeof SOCKET_ADAPTERS)[number];

export const redisEnv = {
  REDIS_URL: text(
    {
      pattern: /^rediss?:\/\/.+/,
      hint: 'a `redis://` or `rediss://` URL',
      unset: 'unset → single instance, in-memory adapter and presence',
    },
    'Redis for the adapter and presence',
  ),
  SOCKET_ADAPTER: oneOf(
    SOCKET_ADAPTERS,
    'redis-streams',
    '`redis` (pub/sub), `redis-sharded` (Redis 7 sharded pub/sub) or `redis-streams` (with connection state recovery)',
  ),
  REDIS_KEY_PREFIX: text(
    { pattern: /^[a-zA-Z0-9:_-]{1,64}$/, hint: '1-64 of `[a-zA-Z0-9:_-]`', fallback: 'chat' },
    'prefix of every Redis key and channel (several deployments can share a Redis)',
  ),
};

export interface RedisConfig {
  /** Unset → single-instance mode: in-memory Socket.IO adapter and presence. */
  url: string | null;
  adapter: SocketAdapterKind;
  keyPrefix: string;
}

export const redisConfig = registerAs('redis', (): RedisConfig => {
  const env = readEnv(redisEnv);
  return { url: env.REDIS_URL, adapter: env.SOCKET_ADAPTER, keyPrefix: env.REDIS_KEY_PREFIX };
});
