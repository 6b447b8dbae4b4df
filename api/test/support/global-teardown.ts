import Redis from 'ioredis';
import { Client } from 'pg';

import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR, TEST_POSTGRES_URL, TEST_REDIS_URL } from './test-env';

/** Drops this run's database and Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const database = new URL(process.env[RUN_DATABASE_URL_VAR]!).pathname.slice(1);
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();

  const redis = new Redis(TEST_REDIS_URL);
  const prefix = process.env[RUN_REDIS_PREFIX_VAR]!;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
