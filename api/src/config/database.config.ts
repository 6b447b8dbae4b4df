import { registerAs } from '@nestjs/config';

import { flag, int, readEnv, text } from './env-var';

export const databaseEnv = {
  DATABASE_URL: text(
    {
      pattern: /^postgres(ql)?:\/\/.+/,
      hint: 'a postgres:// URL',
      unset: 'unset → embedded PGlite in `DATA_DIR`',
    },
    'Postgres connection string',
  ),
  DATABASE_MIGRATION_URL: text(
    { pattern: /^postgres(ql)?:\/\/.+/, hint: 'a postgres:// URL', unset: 'unset → `DATABASE_URL`' },
    'a direct connection for the migrations and their session advisory lock, when `DATABASE_URL` goes through a pooler',
  ),
  DATABASE_TRANSACTION_POOLING: flag(
    false,
    '`DATABASE_URL` is a transaction-mode pooler (PgBouncer `pool_mode=transaction`): no session state is relied on; needs `DATABASE_MIGRATION_URL`',
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
  /** Where migrations run under their session advisory lock: a direct connection; null → `url`. */
  migrationUrl: string | null;
  /**
   * `url` goes through a transaction-mode pooler (PgBouncer): consecutive transactions of one client
   * connection may run on different server sessions, so nothing may rely on session state.
   */
  transactionPooling: boolean;
  poolSize: number;
  /** Longest wait for a connection: a free one from the pool, or a new one opened (pg `connectionTimeoutMillis`). */
  connectTimeoutMs: number;
  /**
   * Postgres cancels a statement running longer than this (`statement_timeout`): set for the session
   * at connect, or, behind a transaction pooler, at the start of every transaction (SET LOCAL).
   */
  statementTimeoutMs: number;
}

export const databaseConfig = registerAs('database', (): DatabaseConfig => {
  const env = readEnv(databaseEnv);
  return {
    url: env.DATABASE_URL,
    migrationUrl: env.DATABASE_MIGRATION_URL,
    transactionPooling: env.DATABASE_TRANSACTION_POOLING,
    poolSize: env.DATABASE_POOL_SIZE,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
  };
});
