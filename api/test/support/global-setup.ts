import Redis from 'ioredis';
import { Client } from 'pg';

import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR, TEST_POSTGRES_URL, TEST_REDIS_URL } from './test-env';

/**
 * Runs once before the e2e suites: proves Postgres and Redis answer (failing fast with how to start
 * them), then creates this run's own database so concurrent or earlier runs cannot interfere.
 */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Postgres is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}).\n` +
        `Start it (on the dev machines: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) ` +
        `or point DATABASE_URL at one.`,
      { cause: error },
    );
  }
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    await admin.end();
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message}).\n` +
        `Start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no) ` +
        `or point REDIS_URL at one.`,
      { cause: error },
    );
  } finally {
    redis.disconnect();
  }

  const run = `e2e_${Date.now().toString(36)}_${process.pid}`;
  await admin.query(`CREATE DATABASE ${run}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${run}`;
  process.env[RUN_DATABASE_URL_VAR] = url.toString();
  process.env[RUN_REDIS_PREFIX_VAR] = run;
}
