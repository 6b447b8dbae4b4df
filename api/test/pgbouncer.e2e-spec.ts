import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import type { ChatSocket } from '@chat/sdk';

import { migrations } from '../src/database/migrations';
import { eventually } from './support/cluster';
import { TestPgBouncer } from './support/pgbouncer';
import { CutMode, TcpProxy } from './support/tcp-proxy';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR, TEST_POSTGRES_URL } from './support/test-env';
import { TestUser, rawRequest, registerUser } from './support/users';

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

  describe('Postgres unreachable behind PgBouncer, then back', () => {
    let proxy: TcpProxy;
    let behind: TestPgBouncer;
    let cut: TestApp;
    let alice: TestUser;
    let roomId: string;
    let socket: ChatSocket;
    const acked: string[] = [];

    beforeAll(async () => {
      proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
      const throughProxy = new URL(direct);
      throughProxy.port = String(proxy.port);
      // Gives up on a Postgres login that is never answered after 2 s (default 15 s).
      behind = await TestPgBouncer.start(throughProxy, { server_connect_timeout: '2' });
      cut = await startTestApp({
        DATABASE_URL: behind.urlFor(direct.toString()),
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        DATABASE_STATEMENT_TIMEOUT_MS: '3000',
      });
      alice = await registerUser(cut.url, 'pgbcut');
      roomId = (await alice.client.http.createRoom({ name: 'Behind PgBouncer', visibility: 'public' })).id;
      socket = alice.client.socket();
      await socket.connect();
      await socket.join(roomId);
    }, 60_000);

    afterAll(async () => {
      socket?.disconnect();
      await cut?.close();
      await behind?.close();
      await proxy?.close();
    });

    const sendRaw = (body: string): Promise<any> =>
      (
        socket.socket.timeout(25_000) as unknown as {
          emitWithAck(event: string, payload: unknown): Promise<unknown>;
        }
      ).emitWithAck('message:send', { roomId, body, clientMsgId: randomUUID() });

    it.each<CutMode>(['refuse', 'blackhole'])(
      '%s: readiness 503 and UNAVAILABLE acks while PgBouncer cannot reach Postgres; the same socket sends once it can',
      async (mode) => {
        const connectionId = socket.socket.id;
        const before = await sendRaw(`${mode}: before`);
        expect(before).toMatchObject({ ok: true });
        acked.push(before.message.id);

        proxy.cut(mode);
        expect((await rawRequest(cut.url, 'GET', '/api/health')).status).toBe(503);
        expect(await sendRaw(`${mode}: refused`)).toEqual({
          ok: false,
          error: expect.objectContaining({ code: 'UNAVAILABLE' }),
        });

        proxy.restore();
        await eventually(
          async () => (await rawRequest(cut.url, 'GET', '/api/health')).status === 200,
          20_000,
          'readiness after restore',
        );
        const after = await sendRaw(`${mode}: after`);
        expect(after).toMatchObject({ ok: true });
        acked.push(after.message.id);
        expect(socket.socket.id).toBe(connectionId);
        const page = await alice.client.http.history(roomId, { after: 0, limit: 100 });
        expect(page.messages.map((m) => m.id)).toEqual(acked);
      },
      60_000,
    );
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
