import Redis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Socket, io } from 'socket.io-client';
import { WebSocket } from 'ws';

import { ErrorCode } from '@chat/contracts';

import { TEST_JWT_SECRET, TestApp, startTestApp } from './support/test-app';
import {
  RUN_DATABASE_URL_VAR,
  RUN_REDIS_PREFIX_VAR,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from './support/test-env';
import { TestUser, rawRequest, registerUser, uniqueName } from './support/users';

const ALLOWED_ORIGIN = 'http://chat.allowed.example';
const FOREIGN_ORIGIN = 'http://evil.example';
const PASSWORD = 'correct horse battery';

/** A Redis key prefix under this run's, so the run's teardown removes what these apps write. */
const runPrefix = (): string => `${process.env[RUN_REDIS_PREFIX_VAR]}:sec-${randomUUID().slice(0, 8)}`;

type Outcome = { connected: true } | { connected: false; message: string; data?: { code?: string } };

/** Opens a Socket.IO client and reports how the handshake ended; never retries, always closes. */
function handshake(url: string, options: Parameters<typeof io>[1]): Promise<Outcome> {
  const socket: Socket = io(url, { reconnection: false, timeout: 5_000, ...options });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve({ connected: true });
    });
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.close();
      resolve({ connected: false, message: error.message, data: error.data });
    });
  });
}

/** The first engine.io request of the polling transport, as a browser page would send it. */
function pollingHandshake(url: string, origin?: string) {
  return rawRequest(url, 'GET', '/socket.io/?EIO=4&transport=polling', {
    headers: origin ? { origin } : {},
  });
}

/** A direct WebSocket upgrade with the given Origin: what the server answered before any packet. */
function websocketHandshake(
  url: string,
  origin: string,
): Promise<{ opened: true } | { status: number; body: string }> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    origin,
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** Tokens with the claims of a real one that this service must still refuse. */
function forgedTokens(valid: string): Record<string, string> {
  const [header, payload] = valid.split('.');
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const hmac = (algorithm: string, secret: string, data: string) =>
    createHmac(algorithm, secret).update(data).digest('base64url');
  const hs512Header = encode({ alg: 'HS512', typ: 'JWT' });
  return {
    'alg: none': `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    'signed with another secret': `${header}.${payload}.${hmac('sha256', 'another-secret-of-the-same-length-0123456789abcdef', `${header}.${payload}`)}`,
    // Right secret, other algorithm: refused only because HS256 is pinned.
    'HS512 with the right secret': `${hs512Header}.${payload}.${hmac('sha512', TEST_JWT_SECRET, `${hs512Header}.${payload}`)}`,
  };
}

function login(app: TestApp, username: string, password: string) {
  return rawRequest(app.url, 'POST', '/api/auth/login', { body: JSON.stringify({ username, password }) });
}

describe('security', () => {
  describe('Socket.IO handshake Origin check (CORS_ORIGINS set)', () => {
    let app: TestApp;
    let user: TestUser;
    beforeAll(async () => {
      app = await startTestApp({ CORS_ORIGINS: `${ALLOWED_ORIGIN}, http://localhost:4200` });
      user = await registerUser(app.url, 'origin');
    });
    afterAll(() => app.close());

    it('refuses a polling handshake from a foreign page with 403 and an engine.io error', async () => {
      const refused = await pollingHandshake(app.url, FOREIGN_ORIGIN);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ code: 4, message: `Origin not allowed: ${FOREIGN_ORIGIN}` });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('refuses a WebSocket handshake from a foreign page with 400 and the reason', async () => {
      await expect(websocketHandshake(app.url, FOREIGN_ORIGIN)).resolves.toEqual({
        status: 400,
        body: `Origin not allowed: ${FOREIGN_ORIGIN}`,
      });
    });

    it('opens both transports for a listed origin and for clients that send no Origin', async () => {
      const listed = await pollingHandshake(app.url, ALLOWED_ORIGIN);
      expect(listed.status).toBe(200);
      expect(String(listed.body)).toMatch(/^0\{"sid":/);
      expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect((await pollingHandshake(app.url)).status).toBe(200);
      await expect(websocketHandshake(app.url, ALLOWED_ORIGIN)).resolves.toEqual({ opened: true });
    });

    it('gives a Socket.IO client a prompt connect_error for a foreign origin, and connects a listed one', async () => {
      const auth = { token: user.auth.accessToken };
      const foreign = await handshake(app.url, {
        auth,
        transports: ['websocket'],
        extraHeaders: { origin: FOREIGN_ORIGIN },
      });
      expect(foreign).toMatchObject({ connected: false, message: 'websocket error' });
      await expect(
        handshake(app.url, { auth, transports: ['websocket'], extraHeaders: { origin: ALLOWED_ORIGIN } }),
      ).resolves.toEqual({ connected: true });
      // The SDK in Node sends no Origin at all.
      const sdkSocket = user.client.socket();
      await expect(sdkSocket.connect()).resolves.toMatchObject({ userId: user.id });
      sdkSocket.disconnect();
    });

    it('answers REST requests from a foreign origin without Access-Control-Allow-Origin', async () => {
      const foreign = await rawRequest(app.url, 'GET', '/api/health', {
        headers: { origin: FOREIGN_ORIGIN },
      });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await rawRequest(app.url, 'OPTIONS', '/api/auth/login', {
        headers: {
          origin: FOREIGN_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const listed = await rawRequest(app.url, 'GET', '/api/health', { headers: { origin: ALLOWED_ORIGIN } });
      expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });
  });

  describe('tokens: HS256 only, from Authorization (REST) and auth.token (socket) only', () => {
    let app: TestApp;
    let user: TestUser;
    beforeAll(async () => {
      app = await startTestApp();
      user = await registerUser(app.url, 'tokens');
    });
    afterAll(() => app.close());

    it('REST: accepts the token as a Bearer header, refuses it in the query string', async () => {
      const token = user.auth.accessToken;
      expect((await rawRequest(app.url, 'GET', '/api/auth/me', { token })).status).toBe(200);
      for (const name of ['token', 'access_token']) {
        const response = await rawRequest(app.url, 'GET', `/api/auth/me?${name}=${token}`);
        expect(response.status).toBe(401);
        expect(response.body.code).toBe(ErrorCode.UNAUTHORIZED);
      }
    });

    it.each(['alg: none', 'signed with another secret', 'HS512 with the right secret'])(
      'REST: refuses a token %s',
      async (kind) => {
        const response = await rawRequest(app.url, 'GET', '/api/auth/me', {
          token: forgedTokens(user.auth.accessToken)[kind],
        });
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          statusCode: 401,
          code: ErrorCode.UNAUTHORIZED,
          message: expect.any(String),
        });
      },
    );

    it('socket: connects with auth.token, and refuses the same token in the query or an Authorization header', async () => {
      const token = user.auth.accessToken;
      await expect(handshake(app.url, { auth: { token }, transports: ['websocket'] })).resolves.toEqual({
        connected: true,
      });
      for (const transport of ['websocket', 'polling']) {
        const inQuery = await handshake(app.url, { query: { token }, transports: [transport] });
        expect(inQuery).toMatchObject({ connected: false, message: ErrorCode.UNAUTHORIZED });
      }
      const inHeader = await handshake(app.url, {
        transports: ['websocket'],
        extraHeaders: { authorization: `Bearer ${token}` },
      });
      expect(inHeader).toMatchObject({
        connected: false,
        message: ErrorCode.UNAUTHORIZED,
        data: { code: ErrorCode.UNAUTHORIZED },
      });
    });

    it.each(['alg: none', 'signed with another secret', 'HS512 with the right secret'])(
      'socket: refuses a token %s',
      async (kind) => {
        const outcome = await handshake(app.url, {
          auth: { token: forgedTokens(user.auth.accessToken)[kind] },
          transports: ['websocket'],
        });
        expect(outcome).toMatchObject({
          connected: false,
          message: ErrorCode.UNAUTHORIZED,
          data: { code: ErrorCode.UNAUTHORIZED },
        });
      },
    );
  });

  describe('login throttling per account', () => {
    let app: TestApp;
    let redis: Redis;
    const prefix = runPrefix();
    beforeAll(async () => {
      app = await startTestApp({ REDIS_KEY_PREFIX: prefix });
      redis = new Redis(TEST_REDIS_URL);
    });
    afterAll(async () => {
      redis.disconnect();
      await app.close();
    });

    it('answers 401 to 5 failed attempts, then 429 with Retry-After even for the right password', async () => {
      const { username } = await registerUser(app.url, 'brute');
      const failures = [];
      for (let i = 0; i < 5; i++) failures.push(await login(app, username, `guess ${i}`));
      expect(failures.map((failure) => failure.status)).toEqual([401, 401, 401, 401, 401]);

      const blocked = await login(app, username, PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.body).toEqual({
        statusCode: 429,
        code: ErrorCode.RATE_LIMITED,
        message: expect.stringMatching(/try again in \d+ s/),
        retryAfter: expect.any(Number),
      });
      expect(blocked.body.retryAfter).toBeGreaterThan(0);
      expect(blocked.body.retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(blocked.headers.get('retry-after')).toBe(String(blocked.body.retryAfter));

      // Counted in Redis, under REDIS_KEY_PREFIX, for the window.
      const key = `${prefix}:login-attempts:${username.toLowerCase()}`;
      expect(Number(await redis.get(key))).toBeGreaterThanOrEqual(5);
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(15 * 60);

      // Other accounts are not affected.
      const other = await registerUser(app.url, 'bystander');
      expect((await login(app, other.username, PASSWORD)).status).toBe(200);
    });

    it('answers an unknown user exactly as a wrong password, before and after the limit', async () => {
      const { username } = await registerUser(app.url, 'real');
      const ghost = uniqueName('ghost');
      for (let i = 0; i < 5; i++) {
        const wrongPassword = await login(app, username, 'not the password');
        const unknownUser = await login(app, ghost, 'not the password');
        expect(wrongPassword.status).toBe(401);
        expect(unknownUser.status).toBe(401);
        expect(unknownUser.body).toEqual(wrongPassword.body);
      }
      const [wrongPassword, unknownUser] = [
        await login(app, username, 'not the password'),
        await login(app, ghost, 'not the password'),
      ];
      expect([wrongPassword.status, unknownUser.status]).toEqual([429, 429]);
      expect(Object.keys(unknownUser.body).sort()).toEqual(Object.keys(wrongPassword.body).sort());
      expect(unknownUser.body.code).toBe(wrongPassword.body.code);
    });

    it('starts over after a successful login', async () => {
      const { username } = await registerUser(app.url, 'forgetful');
      for (let i = 0; i < 4; i++) expect((await login(app, username, 'wrong')).status).toBe(401);
      expect((await login(app, username, PASSWORD)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await login(app, username, 'wrong')).status).toBe(401);
      expect((await login(app, username, 'wrong')).status).toBe(429);
    });

    it('counts across instances sharing Redis', async () => {
      const sharedPrefix = runPrefix();
      const env = { REDIS_KEY_PREFIX: sharedPrefix, LOGIN_MAX_FAILURES: '2' };
      const [one, two] = [await startTestApp(env), await startTestApp(env)];
      try {
        const { username } = await registerUser(one.url, 'spread');
        expect((await login(one, username, 'wrong')).status).toBe(401);
        expect((await login(two, username, 'wrong')).status).toBe(401);
        expect((await login(one, username, PASSWORD)).status).toBe(429);
        expect((await login(two, username, PASSWORD)).status).toBe(429);
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });

    it('counts in memory when there is no Redis (single instance)', async () => {
      const unusedPrefix = runPrefix();
      const single = await startTestApp({
        REDIS_URL: undefined,
        REDIS_KEY_PREFIX: unusedPrefix,
        LOGIN_MAX_FAILURES: '2',
        LOGIN_FAILURE_WINDOW: '1m',
      });
      try {
        const { username } = await registerUser(single.url, 'solo');
        expect((await login(single, username, 'wrong')).status).toBe(401);
        expect((await login(single, username, 'wrong')).status).toBe(401);
        const blocked = await login(single, username, PASSWORD);
        expect(blocked.status).toBe(429);
        expect(blocked.body.retryAfter).toBeLessThanOrEqual(60);
        expect(await redis.keys(`${unusedPrefix}*`)).toEqual([]);
      } finally {
        await single.close();
      }
    });
  });

  describe('HTTP security headers', () => {
    let app: TestApp;
    let webDist: string;
    beforeAll(async () => {
      webDist = mkdtempSync(join(tmpdir(), 'chat-web-'));
      writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Chat</title><app-root></app-root>');
      app = await startTestApp({
        WEB_DIST_DIR: webDist,
        ADMIN_UI_ENABLED: 'true',
        ADMIN_UI_USERNAME: 'ops',
        ADMIN_UI_PASSWORD: 'a long operator secret',
      });
    });
    afterAll(() => app.close());

    function directives(csp: string | null): Map<string, string[]> {
      expect(csp).toBeTruthy();
      return new Map(
        csp!.split(';').map((directive) => {
          const [name, ...values] = directive.trim().split(/\s+/);
          return [name, values] as [string, string[]];
        }),
      );
    }

    it.each([
      ['JSON', 'GET', '/api/health', undefined],
      ['an error', 'GET', '/api/no-such-route', undefined],
      ['a body parser refusal', 'POST', '/api/auth/login', '{"username": '],
      ['the web app', 'GET', '/', undefined],
      ['Swagger UI', 'GET', '/api/docs', undefined],
    ])('sets them on %s (%s %s)', async (_, method, path, body) => {
      const response = await rawRequest(app.url, method, path, { body, headers: { accept: 'text/html' } });
      const headers = response.headers;
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(headers.get('x-powered-by')).toBeNull();
      const csp = directives(headers.get('content-security-policy'));
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      // Only the one inline handler of the Angular build, by hash.
      expect(csp.get('script-src-attr')).toEqual(["'unsafe-hashes'", expect.stringMatching(/^'sha256-/)]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
    });

    it('serves the web app and Swagger UI under that policy', async () => {
      const page = await rawRequest(app.url, 'GET', '/rooms/anything', { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<app-root>');
      const docs = await rawRequest(app.url, 'GET', '/api/docs');
      expect(docs.status).toBe(200);
      expect(docs.body).toContain('swagger-ui');
    });

    it('relaxes the policy for the Admin UI only, which loads fonts from CDNs and connects anywhere', async () => {
      const adminUi = await rawRequest(app.url, 'GET', '/admin-ui/', { headers: { accept: 'text/html' } });
      expect(adminUi.status).toBe(200);
      expect(adminUi.body).toContain('Socket.IO Admin UI');
      const csp = directives(adminUi.headers.get('content-security-policy'));
      expect(csp.get('style-src')).toContain('https://fonts.googleapis.com');
      expect(csp.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'wss:', 'https:']));
      expect(csp.get('script-src')).toEqual(["'self'"]);

      const elsewhere = directives(
        (await rawRequest(app.url, 'GET', '/api/health')).headers.get('content-security-policy'),
      );
      expect(elsewhere.get('style-src')).not.toContain('https://fonts.googleapis.com');
      expect(elsewhere.get('connect-src')).toEqual(["'self'"]);
    });
  });

  describe('error bodies', () => {
    // A database of its own, so breaking it cannot disturb the suites sharing the run's database.
    const database = `${new URL(process.env[RUN_DATABASE_URL_VAR]!).pathname.slice(1)}_sec`;
    let admin: Client;
    let app: TestApp;

    beforeAll(async () => {
      admin = new Client({ connectionString: TEST_POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(TEST_POSTGRES_URL);
      url.pathname = `/${database}`;
      app = await startTestApp({ DATABASE_URL: url.toString() });
      const own = new Client({ connectionString: url.toString() });
      await own.connect();
      // A schema the code no longer matches: every query on users now fails inside Postgres.
      await own.query('ALTER TABLE users RENAME TO users_renamed');
      await own.end();
    });
    afterAll(async () => {
      await app.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    });

    it.each([
      ['a registration', '/api/auth/register', { username: uniqueName('late'), password: PASSWORD }],
      ['a login', '/api/auth/login', { username: 'someone', password: 'whatever' }],
    ])('answers a failing SQL query on %s with a bare 500: no SQL, no stack', async (_, path, body) => {
      const response = await rawRequest(app.url, 'POST', path, { body: JSON.stringify(body) });
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ statusCode: 500, code: ErrorCode.INTERNAL, message: 'Internal error' });
      expect(JSON.stringify(response.body)).not.toMatch(/users|select|relation|\bat\s|\.ts:|\.js:/i);
    });
  });

  describe('logs', () => {
    const written: string[] = [];
    const originalWrite = process.stdout.write;
    let app: TestApp;

    beforeAll(async () => {
      // pino writes to process.stdout itself when its write has been replaced (it checks at start-up).
      process.stdout.write = ((chunk: string | Uint8Array) => {
        written.push(chunk.toString());
        return true;
      }) as typeof process.stdout.write;
      app = await startTestApp({ LOG_LEVEL: 'debug' });
      // The test support silences Nest's logger; production logs through pino as createApp sets up.
      app.app.useLogger(app.app.get(Logger));
    });
    afterAll(async () => {
      await app.close();
      process.stdout.write = originalWrite;
    });

    const records = () =>
      written
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, any>);

    it('are JSON lines with a request id on HTTP and a socket id on socket logs, never a password or a token', async () => {
      const password = `pw-${randomUUID()}`;
      const registered = await rawRequest(app.url, 'POST', '/api/auth/register', {
        body: JSON.stringify({ username: uniqueName('logged'), password }),
      });
      expect(registered.status).toBe(201);
      const { accessToken, user } = registered.body;
      expect((await login(app, user.username, password)).status).toBe(200);
      expect((await login(app, user.username, `${password}-wrong`)).status).toBe(401);
      expect((await rawRequest(app.url, 'GET', '/api/auth/me', { token: accessToken })).status).toBe(200);
      expect((await rawRequest(app.url, 'GET', `/api/auth/me?token=${accessToken}`)).status).toBe(401);
      await expect(
        handshake(app.url, { auth: { token: accessToken }, transports: ['websocket'] }),
      ).resolves.toEqual({ connected: true });
      await expect(
        handshake(app.url, { auth: { token: `${accessToken}x` }, transports: ['websocket'] }),
      ).resolves.toMatchObject({ connected: false });

      const output = written.join('');
      expect(output).not.toContain(password);
      expect(output).not.toContain(accessToken);
      expect(output).not.toContain(accessToken.split('.')[2]);

      const logged = records();
      const loginLog = logged.find((record) => record.req?.url === '/api/auth/login');
      expect(loginLog).toMatchObject({ instanceId: app.instanceId, req: { id: expect.any(String) } });
      const bearerLog = logged.find(
        (record) => record.req?.url === '/api/auth/me' && record.res?.statusCode === 200,
      );
      expect(bearerLog?.req.headers.authorization).toBe('[Redacted]');
      expect(logged.some((record) => record.req?.url === '/api/auth/me?token=[Redacted]')).toBe(true);

      const authenticated = logged.find((record) => record.msg === 'Handshake authenticated');
      expect(authenticated).toMatchObject({ socketId: expect.any(String), userId: user.id });
      const refused = logged.find((record) => record.msg === 'Handshake refused');
      expect(refused).toMatchObject({ socketId: expect.any(String), code: ErrorCode.UNAUTHORIZED });
    });
  });
});
