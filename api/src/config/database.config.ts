import { registerAs } from '@nestjs/config';

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

export const databaseConfig = registerAs('database', (): DatabaseConfig => ({
  url: process.env.DATABASE_URL || null,
  migrationUrl: process.env.DATABASE_MIGRATION_URL || null,
  transactionPooling: process.env.DATABASE_TRANSACTION_POOLING === 'true',
  poolSize: process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : 20,
  connectTimeoutMs: process.env.DATABASE_CONNECT_TIMEOUT_MS
    ? Number(process.env.DATABASE_CONNECT_TIMEOUT_MS)
    : 5_000,
  statementTimeoutMs: process.env.DATABASE_STATEMENT_TIMEOUT_MS
    ? Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS)
    : 10_000,
}));
