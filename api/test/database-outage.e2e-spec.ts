import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { io } from 'socket.io-client';

import type { Message, Room } from '@chat/contracts';
import type { ChatSocket } from '@chat/sdk';

import { eventually } from './support/cluster';
import { scrapeMetric } from './support/metrics';
import { CutMode, TcpProxy } from './support/tcp-proxy';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR } from './support/test-env';
import { TestUser, rawRequest, registerUser } from './support/users';

/** Far above what the configured database timeouts allow: an ack this late means something hung. */
const ACK_LIMIT_MS = 25_000;
const CONCURRENT_SENDS = 3;

/**
 * One instance whose only path to Postgres is a TCP proxy the test cuts and restores; the shared
 * Postgres server itself keeps running for the other suites. The same instance, user and socket live
 * through every cut, so recovery without a restart is part of each test.
 */
describe('Postgres unreachable, then back (one instance behind a TCP proxy)', () => {
  let proxy: TcpProxy;
  let app: TestApp;
  let alice: TestUser;
  let room: Room;
  let socket: ChatSocket;
  /** Straight to Postgres, beside the proxy: sees the instance's sessions from the server's side. */
  let observer: Client;
  const acked: Message[] = [];
  const refusedBodies: string[] = [];

  beforeAll(async () => {
    const databaseUrl = process.env[RUN_DATABASE_URL_VAR]!;
    const target = new URL(databaseUrl);
    observer = new Client({ connectionString: databaseUrl });
    await observer.connect();
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    // Migrations run here, through the proxy, before any cut.
    app = await startTestApp({
      DATABASE_URL: proxy.proxiedUrl(databaseUrl),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '3000',
    });
    alice = await registerUser(app.url, 'outage');
    room = await alice.client.http.createRoom({ name: 'Outage', visibility: 'public' });
    socket = alice.client.socket();
    await socket.connect();
    await socket.join(room.id);
    acked.push(expectStored(await sendRaw('before any cut')));
  });

  afterAll(async () => {
    socket?.disconnect();
    await app?.close();
    await proxy?.close();
    await observer?.end();
  });

  /** Straight on the socket, no SDK retries: the ack exactly as the server gave it. */
  function emitRaw(event: string, payload: unknown): Promise<any> {
    const emitter = socket.socket.timeout(ACK_LIMIT_MS) as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<unknown>;
    };
    return emitter.emitWithAck(event, payload);
  }

  const sendRaw = (body: string) =>
    emitRaw('message:send', { roomId: room.id, body, clientMsgId: randomUUID() });

  /** A new handshake's outcome: the auth middleware reads the user from the database. */
  async function handshake(): Promise<{ connected: boolean; code?: string }> {
    const probe = io(app.url, {
      auth: { token: alice.auth.accessToken },
      transports: ['websocket'],
      reconnection: false,
      timeout: ACK_LIMIT_MS,
    });
    try {
      return await new Promise((resolve) => {
        probe.once('connect', () => resolve({ connected: true }));
        probe.once('connect_error', (error: Error & { data?: { code?: string } }) =>
          resolve({ connected: false, code: error.data?.code }),
        );
      });
    } finally {
      probe.close();
    }
  }

  function expectStored(ack: any): Message {
    expect(ack).toMatchObject({ ok: true, duplicate: false });
    return ack.message as Message;
  }

  const readiness = () => rawRequest(app.url, 'GET', '/api/health');

  it.each<CutMode>(['refuse', 'blackhole', 'freeze'])(
    '%s: readiness 503 and UNAVAILABLE acks and responses while cut; the same socket sends again once restored',
    async (mode) => {
      const connectionId = socket.socket.id;
      expect((await readiness()).status).toBe(200);
      // Several idle pooled connections, so requests during the cut also meet connections that were
      // open before it (not only new ones): under `freeze` those hang until the query timeout.
      const warmUp = await Promise.all(
        Array.from({ length: 4 }, () => alice.client.http.history(room.id, { after: 0 })),
      );
      expect(warmUp.every((page) => page.messages.length === acked.length)).toBe(true);

      proxy.cut(mode);

      const health = await readiness();
      expect(health.status).toBe(503);
      expect(health.body.error.database.status).toBe('down');

      const bodies = Array.from({ length: CONCURRENT_SENDS }, (_, i) => `${mode}: refused ${i}`);
      refusedBodies.push(...bodies);
      const acks = await Promise.all(bodies.map(sendRaw));
      for (const ack of acks) {
        expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNAVAILABLE' }) });
      }
      expect(await emitRaw('room:join', { roomId: room.id })).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE' },
      });
      expect(await handshake()).toEqual({ connected: false, code: 'UNAVAILABLE' });

      const history = await rawRequest(app.url, 'GET', `/api/rooms/${room.id}/messages`, {
        token: alice.auth.accessToken,
      });
      expect(history.status).toBe(503);
      expect(history.body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE' });

      proxy.restore();
      await eventually(async () => (await readiness()).status === 200, 20_000, 'readiness after restore');

      acked.push(expectStored(await sendRaw(`${mode}: after restore`)));
      expect(socket.socket.id).toBe(connectionId);
      expect(await handshake()).toEqual({ connected: true });

      // Exactly the acked messages, each once, in order: nothing refused was stored, late or not.
      const page = await alice.client.http.history(room.id, { after: 0, limit: 100 });
      expect(page.messages.map((m) => m.id)).toEqual(acked.map((m) => m.id));
      expect(page.messages.map((m) => m.seq)).toEqual(acked.map((_, i) => i + 1));
      const stored = new Set(page.messages.map((m) => m.body));
      expect(refusedBodies.filter((body) => stored.has(body))).toEqual([]);
      // A statement the instance gave up on must not run once the path is back (under `freeze` the
      // proxy delivers what it held): a BEGIN would leave a session in a transaction that swallows
      // whatever the next user of that connection writes.
      const { rows } = await observer.query(
        `SELECT count(*)::int AS count FROM pg_stat_activity
         WHERE application_name = $1 AND state LIKE 'idle in transaction%'`,
        [`chat-api:${app.instanceId}`],
      );
      expect(rows[0].count).toBe(0);
    },
    60_000,
  );

  it('counts the failures as database errors in /metrics', async () => {
    const errors = await scrapeMetric(app.metricsUrl, 'chat_database_errors_total', {
      instance: app.instanceId,
    });
    expect(errors).toBeGreaterThanOrEqual(3 * CONCURRENT_SENDS);
  });
});
