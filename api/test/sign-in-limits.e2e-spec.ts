import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';

import { BuiltApp, startBuiltApp } from './support/built-app';
import { TEST_JWT_SECRET, TestApp, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR, TEST_REDIS_URL } from './support/test-env';
import { rawRequest, uniqueName } from './support/users';

const PASSWORD = 'correct horse battery';

type Answer = Awaited<ReturnType<typeof rawRequest>>;

const register = (baseUrl: string, headers: Record<string, string> = {}) =>
  rawRequest(baseUrl, 'POST', '/api/auth/register', {
    body: JSON.stringify({ username: uniqueName('lim'), password: PASSWORD }),
    headers,
  });

const login = (baseUrl: string, username: string, password: string, headers: Record<string, string> = {}) =>
  rawRequest(baseUrl, 'POST', '/api/auth/login', { body: JSON.stringify({ username, password }), headers });

const statuses = (answers: Answer[]) => answers.map((answer) => answer.status).sort();

const countOf = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

function expectRateLimited(answer: Answer): void {
  expect(answer.status).toBe(429);
  expect(answer.body).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('per-address limits on sign-up and sign-in', () => {
  describe('without a trusted proxy', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ REGISTER_RATE_LIMIT: '3', LOGIN_RATE_LIMIT: '5' });
    });
    afterAll(() => app.close());

    it('limits sign-ups from one address, even with a forged X-Forwarded-For on each', async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => register(app.url, { 'x-forwarded-for': `203.0.113.${i + 1}` })),
      );
      expect(statuses(answers)).toEqual([201, 201, 201, 429, 429, 429, 429, 429]);
      expectRateLimited(answers.find((answer) => answer.status === 429)!);
    });

    it('limits sign-in attempts from one address, whatever the usernames', async () => {
      const answers = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          login(app.url, uniqueName('nobody'), 'wrong password', {
            'x-forwarded-for': `198.51.100.${i + 1}`,
          }),
        ),
      );
      expect(statuses(answers)).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429]);
      expectRateLimited(answers.find((answer) => answer.status === 429)!);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY)', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ TRUST_PROXY: 'loopback', LOGIN_RATE_LIMIT: '3' });
    });
    afterAll(() => app.close());

    it("counts per client address from the proxy's X-Forwarded-For, so one client cannot lock out another", async () => {
      const attacker = { 'x-forwarded-for': '203.0.113.9' };
      const spent = await Promise.all(
        Array.from({ length: 5 }, () => login(app.url, uniqueName('nobody'), 'wrong password', attacker)),
      );
      expect(statuses(spent)).toEqual([401, 401, 401, 429, 429]);

      const neighbour = await register(app.url, { 'x-forwarded-for': '198.51.100.20' });
      expect(neighbour.status).toBe(201);
      const username = (neighbour.body as { user: { username: string } }).user.username;
      expect((await login(app.url, username, PASSWORD, { 'x-forwarded-for': '198.51.100.20' })).status).toBe(
        200,
      );
      expectRateLimited(await login(app.url, username, PASSWORD, attacker));
    });
  });

  describe('a cap on password hashes at once', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '2' });
    });
    afterAll(() => app.close());

    it('queues a few and refuses the rest with 503 UNAVAILABLE and Retry-After, never a 500', async () => {
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => login(app.url, uniqueName('nobody'), 'wrong password')),
      );
      expect(countOf(answers, 401) + countOf(answers, 503)).toBe(answers.length);
      expect(countOf(answers, 401)).toBeGreaterThanOrEqual(3);
      const refused = answers.find((answer) => answer.status === 503);
      expect(refused?.body).toMatchObject({ code: 'UNAVAILABLE' });
      expect(refused?.headers.get('retry-after')).toBe('1');
      // Once the burst is over, sign-ins work again.
      const fresh = await register(app.url);
      expect(fresh.status).toBe(201);
    });
  });
});

/**
 * The production build with its default limits, behind a (simulated) trusted proxy: a flood of
 * bogus logins from one address while real users sign in from theirs. Correctness is asserted; the
 * latencies are printed for the README (timing depends on the machine).
 */
describe('real sign-ins during a flood of 50 bogus logins per second', () => {
  const FLOOD_PER_SECOND = 50;
  const FLOOD_SECONDS = 10;
  const REAL_USERS = 40;
  let app: BuiltApp;

  beforeAll(async () => {
    app = await startBuiltApp({
      NODE_ENV: 'production',
      DATABASE_URL: process.env[RUN_DATABASE_URL_VAR],
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:flood-${randomUUID().slice(0, 8)}`,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'loopback',
      // The defaults of a real deployment.
      LOGIN_RATE_LIMIT: undefined,
      REGISTER_RATE_LIMIT: undefined,
    });
  }, 40_000);
  afterAll(() => app?.stop());

  it('never refuses a real user, and refuses the flood cheaply', async () => {
    // Each real user signs up from an address of its own (10 sign-ups per address per hour by
    // default), a few at a time: all at once would overflow the hash queue, as it should.
    const users: Array<{ address: string; username: string }> = [];
    for (let i = 0; i < REAL_USERS; i += 4) {
      const batch = await Promise.all(
        [i, i + 1, i + 2, i + 3].map(async (n) => {
          const address = `198.51.100.${n + 1}`;
          const answer = await register(app.url, { 'x-forwarded-for': address });
          expect(answer.status).toBe(201);
          return { address, username: (answer.body as { user: { username: string } }).user.username };
        }),
      );
      users.push(...batch);
    }

    const timed = async (request: () => Promise<Answer>) => {
      const started = performance.now();
      const { status } = await request();
      return { status, ms: performance.now() - started };
    };
    // The same sign-ins without the flood, for comparison: what this machine takes for one argon2 verification.
    const quiet: Array<{ status: number; ms: number }> = [];
    for (const user of users.slice(0, 10)) {
      quiet.push(
        await timed(() => login(app.url, user.username, PASSWORD, { 'x-forwarded-for': user.address })),
      );
    }
    expect(quiet.map((r) => r.status)).toEqual(quiet.map(() => 200));

    const attacker = { 'x-forwarded-for': '203.0.113.66' };
    const bogus: Array<Promise<{ status: number; ms: number }>> = [];
    const real: Array<Promise<{ status: number; ms: number }>> = [];
    const floodTicks = FLOOD_PER_SECOND * FLOOD_SECONDS;
    const realEvery = Math.floor(floodTicks / REAL_USERS);
    const floodStarted = Date.now();
    await new Promise<void>((done) => {
      let tick = 0;
      const timer = setInterval(() => {
        bogus.push(timed(() => login(app.url, uniqueName('bogus'), 'not the password', attacker)));
        if (tick % realEvery === 0 && real.length < REAL_USERS) {
          const user = users[real.length];
          real.push(
            timed(() => login(app.url, user.username, PASSWORD, { 'x-forwarded-for': user.address })),
          );
        }
        if (++tick >= floodTicks) {
          clearInterval(timer);
          done();
        }
      }, 1000 / FLOOD_PER_SECOND);
    });
    const realResults = await Promise.all(real);
    const bogusResults = await Promise.all(bogus);

    expect(realResults.map((r) => r.status)).toEqual(realResults.map(() => 200));
    // The default budget is 5 attempts per address per 15 s (the flood is stretched if the machine
    // is busy, so count the windows it spanned): the rest never reach argon2.
    const windows = Math.ceil((Date.now() - floodStarted) / 15_000);
    const hashed = bogusResults.filter((r) => r.status === 401).length;
    expect(hashed).toBeGreaterThanOrEqual(5);
    expect(hashed).toBeLessThanOrEqual(5 * windows);
    expect(bogusResults.filter((r) => r.status === 429)).toHaveLength(bogusResults.length - hashed);
    expect(app.exitCode()).toBeNull();

    const summary = (label: string, results: Array<{ ms: number }>) => {
      const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
      const at = (q: number) =>
        sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)].toFixed(1);
      return `${label}: n=${sorted.length} p50=${at(0.5)} ms p99=${at(0.99)} ms max=${at(1)} ms`;
    };
    console.log(
      [
        `Login latency under ${FLOOD_PER_SECOND} bogus logins/s for ${FLOOD_SECONDS} s (one attacker address)`,
        summary('real users, no flood (200)', quiet),
        summary('real users during the flood (200)', realResults),
        summary('bogus (401 + 429)', bogusResults),
        `load average ${loadavg()
          .map((load) => load.toFixed(1))
          .join(' ')} on ${availableParallelism()} cores`,
      ].join('\n'),
    );
  }, 120_000);
});
