import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';

/** Arbitrary, fixed: every instance of this service contends for the same advisory lock. */
const MIGRATION_LOCK_KEY = 74_212_019;

/**
 * Runs pending migrations while holding a Postgres advisory lock, so N instances starting at once
 * apply each migration exactly once; the others wait, then find nothing pending. The lock and the
 * migrations share one connection, which also keeps this working with a pool of one (embedded mode).
 *
 * The lock belongs to a server session. Behind a transaction pooler the statements of one client
 * connection may run on different sessions, so `migrationUrl` (a direct connection) gets its own
 * short-lived DataSource for this; without it the application's DataSource is used.
 */
export async function runMigrationsUnderLock(
  dataSource: DataSource,
  migrationUrl: string | null,
  logger = new Logger('Migrations'),
): Promise<void> {
  if (!migrationUrl) return migrateHoldingLock(dataSource, logger);
  const options = dataSource.options as typeof dataSource.options & { extra?: Record<string, unknown> };
  const direct = await new DataSource({
    ...options,
    url: migrationUrl,
    extra: { ...options.extra, max: 1 },
  } as typeof dataSource.options).initialize();
  try {
    await migrateHoldingLock(direct, logger);
  } finally {
    await direct.destroy();
  }
}

async function migrateHoldingLock(dataSource: DataSource, logger: Logger): Promise<void> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      for (const migration of applied) logger.log(`Applied migration ${migration.name}`);
    } finally {
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await queryRunner.release();
  }
}
