import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { BuiltApp, startBuiltApp } from './support/built-app';
import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR, TEST_REDIS_URL } from './support/test-env';

const SCRIPT = resolve(__dirname, '../../examples/python/conformance.py');
// Debian's interpreter, where apt installs python3-socketio (a pyenv or venv python3 on the PATH lacks it).
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

/**
 * A client written in another language from the README and the AsyncAPI document alone: Python with
 * python-socketio 5.7 (Debian: python3-socketio python3-requests python3-websocket) drives every
 * documented flow against the production build with the default redis-streams adapter.
 */
describe('a Python client written from the documents (examples/python/conformance.py)', () => {
  let app: BuiltApp;

  beforeAll(async () => {
    app = await startBuiltApp({
      NODE_ENV: 'test',
      DATABASE_URL: process.env[RUN_DATABASE_URL_VAR],
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:python`,
      JWT_SECRET: 'python-e2e-secret-that-is-long-enough-for-hs256',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chat-python-')),
      WEB_DIST_DIR: '/nonexistent',
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('passes every check: handshake and refusal, join, send/ack, receive, error acks, catch-up, recovery, refresh, threads, mentions, reactions', async () => {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: apt-get install python3 (or set PYTHON)`);
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((done) => {
      execFile(PYTHON, [SCRIPT, app.url], { timeout: 120_000 }, (error, out, err) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    if (/No module named '(socketio|requests|websocket)'/.test(stderr)) {
      throw new Error(`${stderr}\napt-get install python3-socketio python3-requests python3-websocket`);
    }
    const checks = stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { check: string; ok: boolean });
    expect({ code, stderr, failed: checks.filter((entry) => !entry.ok) }).toEqual({
      code: 0,
      stderr: '',
      failed: [],
    });
    expect(checks.map((entry) => entry.check)).toEqual([
      'register py_alice',
      'register py_bob',
      'handshake refused',
      'handshake',
      'broadcasts end with a string offset',
      'create room',
      'join',
      'join',
      'send and ack',
      'receive on another connection',
      'resend is idempotent',
      'error ack VALIDATION',
      'error ack NOT_FOUND',
      'error ack for an unknown event',
      'send',
      'send',
      'send',
      'catch up by after=',
      'transport dropped',
      'send while the other is away',
      'session recovered with pid and offset',
      'missed message replayed without joining again',
      'refresh over REST',
      'auth:refresh on the open connection',
      "auth:refresh refuses another user's token",
      'reply in a thread',
      "a reply carries its root's counters",
      'mention event',
      'error ack INVALID_THREAD_ROOT',
      'reaction:add',
      'message:reactions on another connection',
      'thread page',
    ]);
  }, 150_000);
});
