import { registerAs } from '@nestjs/config';

import { int, readEnv, text } from './env-var';

export const databaseEnv = {
  DATABASE_URL: text(
    {
      pattern: /^postgres(ql)?:\/\/.+/,
      hint: 'a `postgres://` URL',
      unset: 'unset → embedded PGlite in `DATA_DIR`',
    },
    'Postgres connection string',
  ),
  DATABASE_POOL_SIZE: int(1, 200, 20, 'connections per instance'),
  DATABASE_CONNECT_TIMEOUT_MS: int(
    100,
    120_000,
    5_000,
    'longest wait for a database connection, free in the pool or newly opened; then `UNAVAILABLE`',
  ),
  DATABASE_STATEMENT_TIMEOUT_MS: int(
    100,
    600_000,
    10_000,
    'Postgres cancels a statement running longer (`statement_timeout`); the instance itself stops waiting for an answer 2 s later (`query_timeout`: a partition, a frozen server) and closes that connection',
  ),
};

export interface DatabaseConfig {
  /** Unset → the embedded database under DATA_DIR. */
  url: string | null;
  poolSize: number;
  /** Longest wait for a connection: a free one from the pool, or a new one opened (pg `connectionTimeoutMillis`). */
  connectTimeoutMs: number;
  /** Postgres cancels a statement running longer than this (`statement_timeout`). */
  statementTimeoutMs: number;
}

export const databaseConfig = registerAs('database', (): DatabaseConfig => {
  const env = readEnv(databaseEnv);
  return {
    url: env.DATABASE_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
  };
});
