import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createApp } from '../../src/app.setup';
import { MetricsServer } from '../../src/metrics/metrics-server';
import {
  RUN_DATABASE_URL_VAR,
  RUN_REDIS_CLUSTER_VAR,
  RUN_REDIS_PREFIX_VAR,
  TEST_REDIS_URL,
} from './test-env';

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  /** Where the instance serves GET /metrics (METRICS_PORT, a free port chosen at start). */
  metricsUrl: string;
  instanceId: string;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'e2e-secret-that-is-long-enough-for-hs256-0123456789';

/**
 * Boots the real application (createApp, as production does) on 127.0.0.1 and a free port, against
 * this run's Postgres database and Redis (or the Redis Cluster a suite has put in RUN_REDIS_CLUSTER_VAR). Each app gets its own Redis key prefix unless one is given,
 * so presence and stats of different test files never mix.
 */
export function startTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  // The app reads process.env while it is being created: two creations must not interleave.
  const started = creation.then(() => createTestApp(env));
  creation = started.then(
    () => undefined,
    () => undefined,
  );
  return started;
}

let creation: Promise<void> = Promise.resolve();

async function createTestApp(env: Record<string, string | undefined>): Promise<TestApp> {
  const instanceId = env.INSTANCE_ID ?? `e2e-${randomUUID().slice(0, 8)}`;
  const settings: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    DATABASE_URL: process.env[RUN_DATABASE_URL_VAR],
    REDIS_URL: process.env[RUN_REDIS_CLUSTER_VAR] ? undefined : TEST_REDIS_URL,
    REDIS_CLUSTER_NODES: process.env[RUN_REDIS_CLUSTER_VAR],
    REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:${randomUUID().slice(0, 8)}`,
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'chat-e2e-')),
    WEB_DIST_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    METRICS_PORT: '0',
    // Every suite signs up and in from 127.0.0.1; the per-address limits have their own tests.
    LOGIN_RATE_LIMIT: '1000000',
    REGISTER_RATE_LIMIT: '1000000',
    LOG_FORMAT: 'json',
    ...env,
    INSTANCE_ID: instanceId,
  };
  const previous = applyEnv(settings);
  try {
    const app = await createApp();
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const metricsPort = app.get(MetricsServer).port;
    return {
      app,
      url: `http://127.0.0.1:${address.port}`,
      metricsUrl: `http://127.0.0.1:${metricsPort}`,
      instanceId,
      close: () => app.close(),
    };
  } finally {
    applyEnv(previous);
  }
}

function applyEnv(values: Record<string, string | undefined>): Record<string, string | undefined> {
  const previous: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(values)) {
    previous[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return previous;
}
