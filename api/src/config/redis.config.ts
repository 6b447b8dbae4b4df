import { registerAs } from '@nestjs/config';

import type { SocketAdapterKind } from './env.validation';

export interface RedisConfig {
  /** Unset → single-instance mode: in-memory Socket.IO adapter and presence. */
  url: string | null;
  adapter: SocketAdapterKind;
  keyPrefix: string;
}

export const redisConfig = registerAs('redis', (): RedisConfig => ({
  url: process.env.REDIS_URL || null,
  adapter: (process.env.SOCKET_ADAPTER as SocketAdapterKind | undefined) ?? 'redis-streams',
  keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'chat',
}));
