import { registerAs } from '@nestjs/config';

import type { SocketAdapterKind } from './env.validation';

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
  const clusterNodes = parseNodes(process.env.REDIS_CLUSTER_NODES);
  return {
    url: process.env.REDIS_URL || null,
    clusterNodes,
    adapter:
      (process.env.SOCKET_ADAPTER as SocketAdapterKind | undefined) ??
      (clusterNodes ? 'redis-sharded' : 'redis-streams'),
    keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'chat',
  };
});

/** `host:port,host:port` (checked at boot by env.validation) → nodes; unset or empty → null. */
function parseNodes(value: string | undefined): RedisNode[] | null {
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
