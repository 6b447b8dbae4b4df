import { registerAs } from '@nestjs/config';

import { oneOf, readEnv, text } from './env-var';

export const SOCKET_ADAPTERS = ['redis', 'redis-sharded', 'redis-streams'] as const;
export type SocketAdapterKind = (typeof SOCKET_ADAPTERS)[number];

const HOST_PORT = '[^\\s,:/]+:\\d{1,5}';
const CLUSTER_NODES_PATTERN = new RegExp(`^\\s*${HOST_PORT}(\\s*,\\s*${HOST_PORT})*\\s*$`);

export const redisEnv = {
  REDIS_URL: text(
    {
      pattern: /^rediss?:\/\/.+/,
      hint: 'a redis:// or rediss:// URL',
      unset: 'unset → single instance, in-memory adapter and presence',
    },
    'Redis for the adapter and presence',
  ),
  REDIS_CLUSTER_NODES: text(
    {
      pattern: CLUSTER_NODES_PATTERN,
      hint: 'comma-separated host:port seeds such as redis-1:6379,redis-2:6379',
      unset: 'unset → no cluster',
    },
    'seeds of a Redis Cluster (instead of `REDIS_URL`); the client discovers the other nodes from them',
  ),
  SOCKET_ADAPTER: oneOf(
    SOCKET_ADAPTERS,
    null,
    '`redis` (pub/sub), `redis-sharded` (Redis 7 sharded pub/sub; the only one on a cluster) or `redis-streams` (with connection state recovery)',
    '`redis-streams`; `redis-sharded` with `REDIS_CLUSTER_NODES`',
  ),
  REDIS_KEY_PREFIX: text(
    { pattern: /^[a-zA-Z0-9:_-]{1,64}$/, hint: '1-64 of `[a-zA-Z0-9:_-]`', fallback: 'chat' },
    'prefix of every Redis key and channel (several deployments can share a Redis)',
  ),
};

export interface RedisNode {
  host: string;
  port: number;
}

export interface RedisConfig {
  /** Neither this nor clusterNodes → single-instance mode: in-memory Socket.IO adapter and presence. */
  url: string | null;
  /** Seeds of a Redis Cluster (REDIS_CLUSTER_NODES); the client discovers the other nodes from them. */
  clusterNodes: RedisNode[] | null;
  adapter: SocketAdapterKind;
  keyPrefix: string;
}

export const redisConfig = registerAs('redis', (): RedisConfig => {
  const env = readEnv(redisEnv);
  const clusterNodes = parseNodes(env.REDIS_CLUSTER_NODES);
  return {
    url: env.REDIS_URL,
    clusterNodes,
    adapter: env.SOCKET_ADAPTER ?? (clusterNodes ? 'redis-sharded' : 'redis-streams'),
    keyPrefix: env.REDIS_KEY_PREFIX,
  };
});

/** `host:port,host:port` (checked at boot) → nodes; unset → null. */
function parseNodes(value: string | null): RedisNode[] | null {
  const seeds = (value ?? '')
    .split(',')
    .map((seed) => seed.trim())
    .filter(Boolean);
  if (seeds.length === 0) return null;
  return seeds.map((seed) => {
    const colon = seed.lastIndexOf(':');
    return { host: seed.slice(0, colon), port: Number(seed.slice(colon + 1)) };
  });
}
