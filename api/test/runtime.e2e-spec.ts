import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { freePort, startBuiltApp } from './support/built-app';
import { TEST_JWT_SECRET } from './support/test-app';
import { RUN_DATABASE_URL_VAR } from './support/test-env';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/api/api/src/main.js');
const START = join(ROOT, 'scripts/start.js');
const READY_TIMEOUT_MS = 30_000;
/** Each test starts one or two whole instances, each up to READY_TIMEOUT_MS on a busy machine. */
const TWO_STARTS_MS = 2 * READY_TIMEOUT_MS + 10_000;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { staleTargets } = require('../../scripts/build.js') as { staleTargets: (names: string[]) => string[] };

/** Nest's own start-up inventory, one line per module, route and socket handler. */
const FRAMEWORK_INVENTORY = ['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController'];

interface Running {
  output: () => string;
  stop(): Promise<void>;
}

/** Runs a command in its own process group until its output shows `ready` (bounded). */
async function runUntil(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  ready: RegExp,
): Promise<Running> {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env }))
    if (value !== undefined) childEnv[key] = value;
  const child: ChildProcess = spawn(command, args, {
    cwd: ROOT,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!ready.test(output)) {
    if (child.exitCode !== null) throw new Error(`${command} exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} did not get ready in time:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return { output: () => output, stop };
}

/** A TCP connection to this address and port succeeds (true) or is refused (false). */
async function accepts(host: string, port: number): Promise<boolean> {
  return fetch(`http://${host}:${port}/api/health/live`).then(
    (response) => response.ok,
    () => false,
  );
}

const jsonRecords = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string; context?: string; node?: string });

// eslint-disable-next-line no-control-regex
const withoutColours = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('runtime', () => {
  const database = () => process.env[RUN_DATABASE_URL_VAR];

  it('runs the tests on the Node that package.json asks for', () => {
    const engines = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const required = Number(/^>=(\d+)/.exec(engines)?.[1]);
    expect(required).toBeGreaterThanOrEqual(24);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(required);
  });

  it(
    'a built instance runs on the same Node, says first where to open it, and warns about nothing on a clean start',
    async () => {
      const env = {
        DATABASE_URL: database(),
        REDIS_URL: undefined,
        JWT_SECRET: undefined,
        NODE_ENV: undefined,
        LOG_LEVEL: 'info',
        LOG_FORMAT: undefined,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'chat-runtime-')),
      };
      // The first start may apply migrations to this run's database; the second is a clean start.
      await (await startBuiltApp(env)).stop();
      const app = await startBuiltApp(env);
      try {
        const records = jsonRecords(app.output());
        expect(records[0]).toMatchObject({ context: 'ChatGateway', node: process.version });
        expect(records[0].msg).toMatch(
          new RegExp(`^Open ${app.url} \\(instance .+, Node ${process.version}\\)$`),
        );
        expect(records.filter((record) => record.level >= 40)).toEqual([]);
        expect(records.filter((record) => FRAMEWORK_INVENTORY.includes(record.context ?? ''))).toEqual([]);
        expect(records.length).toBeLessThan(10);
      } finally {
        await app.stop();
      }
    },
    TWO_STARTS_MS,
  );

  describe('log format', () => {
    /** The built app on a pseudo-terminal (util-linux `script`), as a person running it sees it. */
    async function onTerminal(env: Record<string, string | undefined>): Promise<string[]> {
      const port = await freePort();
      const running = await runUntil(
        'script',
        ['-qfec', `"${process.execPath}" "${MAIN}"`, '/dev/null'],
        {
          DATABASE_URL: database(),
          REDIS_URL: undefined,
          JWT_SECRET: TEST_JWT_SECRET,
          LOG_LEVEL: 'info',
          LOG_FORMAT: undefined,
          HOST: '127.0.0.1',
          PORT: String(port),
          ...env,
        },
        /Open http/,
      );
      await running.stop();
      return withoutColours(running.output())
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '');
    }

    it(
      'is one readable line per record on a terminal',
      async () => {
        const lines = await onTerminal({ NODE_ENV: undefined });
        expect(lines[0]).toMatch(
          /^\[\d\d:\d\d:\d\d\] INFO: ChatGateway: Open http:\/\/127\.0\.0\.1:\d+ \(instance /,
        );
        expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
      },
      TWO_STARTS_MS,
    );

    it(
      'stays JSON in production, terminal or not',
      async () => {
        const lines = await onTerminal({ NODE_ENV: 'production' });
        expect(JSON.parse(lines[0])).toMatchObject({
          context: 'ChatGateway',
          msg: expect.stringMatching(/^Open /),
        });
      },
      TWO_STARTS_MS,
    );
  });

  describe('listen address', () => {
    it('npm start finds nothing to rebuild right after a build', () => {
      expect(staleTargets(['api', 'web'])).toEqual([]);
    });

    it(
      'npm start listens on 127.0.0.1 only unless HOST is set',
      async () => {
        const port = await freePort();
        const started = await runUntil(
          process.execPath,
          [START],
          {
            HOST: undefined,
            PORT: String(port),
            DATABASE_URL: database(),
            REDIS_URL: undefined,
            JWT_SECRET: TEST_JWT_SECRET,
            LOG_FORMAT: 'json',
            LOG_LEVEL: 'info',
          },
          /Open http/,
        );
        try {
          expect(started.output()).toContain(`Open http://127.0.0.1:${port} `);
          expect(await accepts('127.0.0.1', port)).toBe(true);
          // Every 127.x address is this machine; only a socket bound to all addresses answers on 127.0.0.2.
          expect(await accepts('127.0.0.2', port)).toBe(false);
        } finally {
          await started.stop();
        }
      },
      TWO_STARTS_MS,
    );

    it(
      'npm run start:prod listens on every address',
      async () => {
        const app = await startBuiltApp({
          HOST: undefined,
          DATABASE_URL: database(),
          JWT_SECRET: TEST_JWT_SECRET,
        });
        try {
          const port = Number(new URL(app.url).port);
          expect(await accepts('127.0.0.2', port)).toBe(true);
        } finally {
          await app.stop();
        }
      },
      TWO_STARTS_MS,
    );
  });
});
