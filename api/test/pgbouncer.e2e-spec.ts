import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { migrations } from '../src/database/migrations';
import { TestPgBouncer } from './support/pgbouncer';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR, TEST_POSTGRES_URL } from './support/test-env';

/**
 * The instances behind PgBouncer in transaction mode (Debian's pgbouncer, started by the suite on a
 * free port in front of the test Postgres): DATABASE_URL is PgBouncer, DATABASE_MIGRATION_URL the
 * direct connection, DATABASE_TRANSACTION_POOLING=true. The suite has a database of its own, so the
 * migrations run here, through the migration URL; then the chat and the database-outage suites run
 * again, unchanged, with every app they start going through PgBouncer.
 */
describe('behind PgBouncer (transaction mode)', () => {
  const database = `pgb_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const direct = new URL(TEST_POSTGRES_URL);
  direct.pathname = `/${database}`;
  let bouncer: TestPgBouncer;
  let app: TestApp;

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    bouncer = await TestPgBouncer.start(direct);
    // Read by startTestApp (here and in the suites required below) each time it starts an app.
    process.env[RUN_DATABASE_URL_VAR] = bouncer.urlFor(direct.toString());
    process.env.DATABASE_MIGRATION_URL = direct.toString();
    process.env.DATABASE_TRANSACTION_POOLING = 'true';
    app = await startTestApp({ DATABASE_STATEMENT_TIMEOUT_MS: '3000' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await bouncer?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('migrates over the direct connection: each migration once, and no advisory lock left held', async () => {
    const db = new Client({ connectionString: direct.toString() });
    await db.connect();
    try {
      const applied = await db.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(applied.rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
      const locks = await db.query("SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory'");
      expect(locks.rows[0].count).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('sets the statement timeout in every transaction, and leaves no session setting behind', async () => {
    const dataSource = app.app.get(DataSource);
    const inTransaction = await dataSource.transaction((manager) => manager.query('SHOW statement_timeout'));
    expect(inTransaction).toEqual([{ statement_timeout: '3s' }]);
    // PgBouncer's server connections serve every client: a session SET would show up here, where
    // the server's own default (as a direct connection sees it) must be all there is.
    const db = new Client({ connectionString: direct.toString() });
    await db.connect();
    const serverDefault = (await db.query('SHOW statement_timeout').finally(() => db.end())).rows[0];
    const outside = await Promise.all(
      Array.from({ length: 5 }, () => dataSource.query('SHOW statement_timeout')),
    );
    expect(outside.flat()).toEqual(Array.from({ length: 5 }, () => serverDefault));
  });

  describe('the chat suite, through PgBouncer', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./chat.e2e-spec');
  });

  describe('the database-outage suite, the cut between the instance and PgBouncer', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./database-outage.e2e-spec');
  });
});

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
