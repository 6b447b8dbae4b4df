import Redis from 'ioredis';
import { sign } from 'jsonwebtoken';
import { ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

import { pinned, pinnedFork } from './pinning';
import { ClientSpec, TargetKind } from './protocol';

/** The built API to run; `BENCH_API_MAIN` points at another build (e.g. of main, for a before/after). */
const API_MAIN = process.env.BENCH_API_MAIN ?? resolve(__dirname, '../../../../api/api/src/main.js');
/** Extra node flags for the project's instances, e.g. `--cpu-prof --cpu-prof-dir=dist/prof` to profile them. */
const API_NODE_ARGS = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
const BASELINE_SERVER = join(__dirname, 'baseline-server.js');
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Source addresses clients connect from: 127.0.0.2–9, ~28k ephemeral ports each. */
const SOURCE_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);

export type TargetName =
  | 'project'
  | 'B1 ws'
  | 'B2 socket.io'
  | 'B3 socket.io+redis'
  /** B2 whose handshake middleware verifies the same JWT as the project's: the connection baseline. */
  | 'B2j socket.io+jwt';

/** A system under test: processes serving sockets, and how clients reach a room on them. */
export interface Target {
  name: TargetName;
  kind: TargetKind;
  urls: string[];
  pids: number[];
  /** Clients in rooms of `roomSize`, spread over the target's URLs and over source addresses. */
  prepareClients(count: number, roomSize: number): Promise<ClientSpec[]>;
  /** Event-loop lag p99 (ms) of each process since the last call. */
  lagP99(): Promise<number[]>;
  /** Each instance's Prometheus metrics (empty for the baselines). */
  metrics(): Promise<string[]>;
  /** Messages stored, for targets that store them. */
  storedMessages(): Promise<number | null>;
  stop(): Promise<void>;
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : Number.NaN;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForHttp(url: string, exited: () => boolean, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (exited()) throw new Error(`${url}: the process exited before it was ready`);
    const ok = await fetch(url)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url}: not ready within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

function spread(
  urls: string[],
  roomIds: (i: number) => string,
  count: number,
  extra?: (i: number) => Partial<ClientSpec>,
) {
  return Array.from({ length: count }, (_, i) => ({
    url: urls[i % urls.length],
    roomId: roomIds(i),
    localAddress: SOURCE_ADDRESSES[i % SOURCE_ADDRESSES.length],
    ...extra?.(i),
  }));
}

/** A new, empty database `name` on the server DATABASE_URL names: its URL, and how to drop it. */
export async function scratchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return {
    url: Object.assign(new URL(DATABASE_URL), { pathname: `/${name}` }).toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** N built API instances on a fresh database and Redis prefix; users and rooms seeded in SQL. */
export async function startProject(instances: number): Promise<Target> {
  const runId = `bench_${Date.now()}_${process.pid}`;
  const { url: databaseUrl, drop: dropDatabase } = await scratchDatabase(runId);
  const secret = randomBytes(32).toString('hex');
  const prefix = `${runId}:`;
  const children: ChildProcess[] = [];
  const ports = await Promise.all(Array.from({ length: instances }, () => freePort()));
  const metricsPorts = await Promise.all(Array.from({ length: instances }, () => freePort()));
  try {
    await spawnInstances();
  } catch (error) {
    await Promise.all(children.map(stopProcess));
    await dropDatabase();
    throw error;
  }
  async function spawnInstances(): Promise<void> {
    for (const [i, port] of ports.entries()) {
      const [command, args] = pinned('servers', process.execPath, [...API_NODE_ARGS, API_MAIN]);
      const child = spawn(command, args, {
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          PORT: String(port),
          METRICS_PORT: String(metricsPorts[i]),
          INSTANCE_ID: `api-${i + 1}`,
          DATABASE_URL: databaseUrl,
          REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          JWT_SECRET: secret,
          LOG_LEVEL: 'warn',
          NODE_ENV: 'production',
          // The limits stay on (their cost is measured) but above what the scenarios send per user.
          MESSAGE_RATE_LIMIT: '100000',
          MAX_CONNECTIONS_PER_USER: '100',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      // One at a time: the first runs the migrations under the advisory lock.
      await waitForHttp(`http://127.0.0.1:${port}/api/health`, () => child.exitCode !== null);
    }
  }
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();

  return {
    name: 'project',
    kind: 'project',
    urls,
    pids: children.map((child) => child.pid!),
    async prepareClients(count, roomSize) {
      // Seeded directly: registering thousands of users would spend minutes hashing passwords.
      const userIds = Array.from({ length: count }, () => randomUUID());
      const names = userIds.map((id) => `b${id.replaceAll('-', '').slice(0, 20)}`);
      await db.query(
        `INSERT INTO users (id, username, password_hash, display_name)
         SELECT id, name, 'seeded-no-login', name FROM unnest($1::uuid[], $2::text[]) AS t(id, name)`,
        [userIds, names],
      );
      const roomCount = Math.ceil(count / roomSize);
      const roomIds = Array.from({ length: roomCount }, () => randomUUID());
      await db.query(
        `INSERT INTO rooms (id, name, kind, visibility) SELECT id, 'bench', 'group', 'public' FROM unnest($1::uuid[]) AS id`,
        [roomIds],
      );
      await db.query(
        `INSERT INTO memberships (room_id, user_id, role) SELECT r, u, 'member' FROM unnest($1::uuid[], $2::uuid[]) AS t(r, u)`,
        [userIds.map((_, i) => roomIds[Math.floor(i / roomSize)]), userIds],
      );
      return spread(
        urls,
        (i) => roomIds[Math.floor(i / roomSize)],
        count,
        (i) => ({
          token: sign({ sub: userIds[i], username: names[i] }, secret, {
            algorithm: 'HS256',
            expiresIn: '2h',
          }),
        }),
      );
    },
    async lagP99() {
      return Promise.all(
        metricsPorts.map(async (metricsPort) => {
          const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
          const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_p99_seconds'));
          return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) * 1000 : Number.NaN;
        }),
      );
    },
    metrics() {
      return Promise.all(
        metricsPorts.map(async (metricsPort) =>
          (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
        ),
      );
    },
    async storedMessages() {
      const [row] = (await db.query('SELECT count(*)::int AS n FROM messages')).rows as { n: number }[];
      return row.n;
    },
    async stop() {
      await db.end();
      await Promise.all(children.map(stopProcess));
      await dropDatabase();
      const redis = new Redis(REDIS_URL);
      for (let cursor = '0'; ;) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
      redis.disconnect();
    },
  };
}

/** A bare baseline in `processes` processes (B3 uses two, sharing Redis). */
export async function startBaseline(name: Exclude<TargetName, 'project'>, processes = 1): Promise<Target> {
  const mode = (
    {
      'B1 ws': 'ws',
      'B2 socket.io': 'sio',
      'B3 socket.io+redis': 'sio-redis',
      'B2j socket.io+jwt': 'sio-jwt',
    } as const
  )[name];
  const secret = randomBytes(32).toString('hex');
  const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
  const children = await Promise.all(
    ports.map(async (port) => {
      const { execPath, prefix } = pinnedFork('servers');
      const child = fork(BASELINE_SERVER, [mode, String(port), REDIS_URL], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        execPath,
        execArgv: prefix,
        env: { ...process.env, BASELINE_JWT_SECRET: secret },
      });
      await new Promise<void>((ready, fail) => {
        child.once('message', () => ready());
        child.once('exit', (code) => fail(new Error(`baseline ${mode} exited with ${code}`)));
      });
      return child;
    }),
  );
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  // UUIDs, as the project's room ids, so the rooms in the broadcast payload are as long too.
  const roomIds: string[] = [];
  const roomId = (index: number) => (roomIds[index] ??= randomUUID());
  return {
    name,
    kind: mode === 'ws' ? 'ws' : 'sio',
    urls,
    pids: children.map((child) => child.pid!),
    prepareClients: async (count, roomSize) =>
      spread(
        urls,
        (i) => roomId(Math.floor(i / roomSize)),
        count,
        mode === 'sio-jwt'
          ? () => ({
              // The project's token shape, signed the same way.
              token: sign({ sub: randomUUID(), username: 'bench-user' }, secret, {
                algorithm: 'HS256',
                expiresIn: '2h',
              }),
            })
          : undefined,
      ),
    lagP99: () =>
      Promise.all(
        children.map(
          (child) =>
            new Promise<number>((answer) => {
              const onMessage = (message: { type?: string; p99Ms?: number }) => {
                if (message.type !== 'lag') return;
                child.off('message', onMessage);
                answer(message.p99Ms ?? Number.NaN);
              };
              child.on('message', onMessage);
              child.send({ type: 'lag' });
            }),
        ),
      ),
    metrics: async () => [],
    storedMessages: async () => null,
    stop: async () => {
      await Promise.all(children.map(stopProcess));
    },
  };
}
