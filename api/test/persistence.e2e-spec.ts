import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import { ChatClient } from '@chat/sdk';

import { migrations } from '../src/database/migrations';
import { startBuiltApp } from './support/built-app';
import { TEST_JWT_SECRET, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR } from './support/test-env';
import { uniqueName } from './support/users';

async function chatOnce(baseUrl: string, username: string) {
  const client = new ChatClient({ baseUrl });
  await client.http.register({ username, password: 'password-123' });
  const room = await client.http.createRoom({ name: 'Kept', visibility: 'private' });
  const socket = client.socket();
  await socket.connect();
  await socket.join(room.id);
  await socket.send(room.id, 'before the restart');
  await socket.send(room.id, 'also kept');
  socket.disconnect();
  return room.id;
}

async function historyAfterSignIn(baseUrl: string, username: string, roomId: string) {
  const client = new ChatClient({ baseUrl });
  await client.http.login({ username, password: 'password-123' });
  return (await client.http.history(roomId, { after: 0 })).messages.map((m) => [m.seq, m.body]);
}

describe('persistence across restarts', () => {
  it('keeps users and history when the instance restarts (Postgres)', async () => {
    const username = uniqueName('keep');
    const first = await startTestApp();
    const roomId = await chatOnce(first.url, username);
    await first.close();

    const second = await startTestApp();
    try {
      expect(await historyAfterSignIn(second.url, username, roomId)).toEqual([
        [1, 'before the restart'],
        [2, 'also kept'],
      ]);
    } finally {
      await second.close();
    }
  });

  // Two boots of the embedded database, the first initialising its data directory: slow on a loaded machine.
  it('keeps users, history and tokens in the embedded database under DATA_DIR (no DATABASE_URL, no REDIS_URL)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chat-embedded-'));
    // As `npm start` runs it: no external service and no secret configured.
    const env = {
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      JWT_SECRET: undefined,
      NODE_ENV: undefined,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
    const username = uniqueName('embedded');
    const first = await startBuiltApp(env);
    let token: string;
    let roomId: string;
    try {
      roomId = await chatOnce(first.url, username);
      token = (
        await new ChatClient({ baseUrl: first.url }).http.login({ username, password: 'password-123' })
      ).accessToken;
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startBuiltApp(env);
    try {
      expect(await historyAfterSignIn(second.url, username, roomId)).toEqual([
        [1, 'before the restart'],
        [2, 'also kept'],
      ]);
      // The generated development JWT secret was kept in DATA_DIR, so the old token still works.
      expect((await new ChatClient({ baseUrl: second.url, token }).http.me()).username).toBe(username);
      expect(second.output()).toMatch(/Development defaults: embedded database in /);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('applies migrations once when several instances start at once on an empty database', async () => {
    const base = new URL(process.env[RUN_DATABASE_URL_VAR]!);
    const name = `${base.pathname.slice(1)}_fresh`;
    const admin = new Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    try {
      // Separate processes, as real instances are: their migration runs truly overlap.
      const env = {
        DATABASE_URL: url.toString(),
        REDIS_URL: undefined,
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'warn',
      };
      const instances = await Promise.all([1, 2, 3].map(() => startBuiltApp(env)));
      await Promise.all(instances.map((instance) => instance.stop()));
      const fresh = new Client({ connectionString: url.toString() });
      await fresh.connect();
      const { rows } = await fresh.query('SELECT name FROM migrations ORDER BY id');
      await fresh.end();
      // Each migration exactly once, in order.
      expect(rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
