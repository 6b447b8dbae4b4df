import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';

/** Arbitrary, fixed: every instance of this service contends for the same advisory lock. */
const MIGRATION_LOCK_KEY = 74_212_019;

/**
 * Runs pending migrations while holding a Postgres advisory lock, so N instances starting at once
 * apply each migration exactly once; the others wait, then find nothing pending. The lock and the
 * migrations share one connection, which also keeps this working with a pool of one (embedded mode).
 */
export async function runMigrationsUnderLock(dataSource: DataSource, logger = new Logger('Migrations')) {
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
