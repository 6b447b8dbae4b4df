import { randomUUID } from 'node:crypto';

import { freePort } from './built-app';
import { TEST_JWT_SECRET } from './test-app';
import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR, TEST_REDIS_URL } from './test-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startCluster } = require('../../../scripts/cluster.js') as {
  startCluster: (options: object) => Promise<Cluster>;
};

export interface ClusterInstance {
  id: string;
  port: number;
  url: string;
  /** GET /metrics here: the instance's METRICS_PORT, which nginx never proxies. */
  metricsUrl: string;
}

export interface Cluster {
  /** nginx, in front of every instance. */
  url: string;
  instances: ClusterInstance[];
  workDir: string;
  start(instance: ClusterInstance): Promise<void>;
  stop(instance: ClusterInstance, signal?: NodeJS.Signals): Promise<void>;
  crash(instance: ClusterInstance): Promise<void>;
  close(): Promise<void>;
}

/**
 * Hook timeout for starting a cluster: each built instance boots and migrates before nginx starts,
 * which on a loaded 2-core machine takes longer than jest's 30 s default. A bound, not a measurement.
 */
export const CLUSTER_START_TIMEOUT_MS = 120_000;

/** `npm run cluster`, as the tests use it: built instances behind real nginx, on free ports. */
export async function startTestCluster(
  instances: number,
  adapter: string,
  env: Record<string, string> = {},
): Promise<Cluster> {
  const ports = await Promise.all(Array.from({ length: 2 * instances + 1 }, () => freePort()));
  return startCluster({
    instances,
    adapter,
    port: ports[2 * instances],
    ports: ports.slice(0, instances),
    metricsPorts: ports.slice(instances, 2 * instances),
    env: {
      DATABASE_URL: process.env[RUN_DATABASE_URL_VAR],
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:${randomUUID().slice(0, 8)}`,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      // Every suite signs up and in from 127.0.0.1; the per-address limits have their own tests.
      LOGIN_RATE_LIMIT: '1000000',
      REGISTER_RATE_LIMIT: '1000000',
      ...env,
    },
  });
}

/** Polls a condition (bounded) — for state that changes on its own, such as presence expiry. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  limitMs: number,
  label: string,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${limitMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
