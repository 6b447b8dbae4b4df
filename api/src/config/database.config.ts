import { registerAs } from '@nestjs/config';

export interface DatabaseConfig {
  /** Unset → the embedded database under DATA_DIR. */
  url: string | null;
  poolSize: number;
  /** Longest wait for a connection: a free one from the pool, or a new one opened (pg `connectionTimeoutMillis`). */
  connectTimeoutMs: number;
  /** Postgres cancels a statement running longer than this (`statement_timeout`). */
  statementTimeoutMs: number;
}

export const databaseConfig = registerAs('database', (): DatabaseConfig => ({
  url: process.env.DATABASE_URL || null,
  poolSize: process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : 20,
  connectTimeoutMs: process.env.DATABASE_CONNECT_TIMEOUT_MS
    ? Number(process.env.DATABASE_CONNECT_TIMEOUT_MS)
    : 5_000,
  statementTimeoutMs: process.env.DATABASE_STATEMENT_TIMEOUT_MS
    ? Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS)
    : 10_000,
}));
