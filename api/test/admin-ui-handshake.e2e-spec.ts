import { BuiltApp, startBuiltApp } from './support/built-app';
import { RawSocketIoClient } from './support/raw-socket-io-client';
import { TEST_JWT_SECRET } from './support/test-app';
import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR, TEST_REDIS_URL } from './support/test-env';

const PASSWORD = 'a long operator secret';

/**
 * The Admin UI namespace attacked with handshakes no browser would send, against the production
 * build in its own process: the process must survive every one of them.
 */
describe('Socket.IO Admin UI handshake, from the attacker side', () => {
  let app: BuiltApp;

  beforeAll(async () => {
    app = await startBuiltApp({
      NODE_ENV: 'production',
      DATABASE_URL: process.env[RUN_DATABASE_URL_VAR],
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:admin-hs`,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      ADMIN_UI_ENABLED: 'true',
      ADMIN_UI_USERNAME: 'ops',
      ADMIN_UI_PASSWORD: PASSWORD,
      // The address here is 127.0.0.1 for every handshake; X-Forwarded-For is not trusted.
    });
  }, 40_000);
  afterAll(() => app?.stop());

  const adminHandshake = (auth: unknown) => RawSocketIoClient.handshake(app.url, '/admin', auth);
  const alive = async () => (await fetch(`${app.url}/api/health`)).status;

  it('refuses a username without a password, or with a non-string one, and keeps serving', async () => {
    const malformed: unknown[] = [
      { username: 'ops' },
      { username: 'ops', password: 12345 },
      { username: 'ops', password: null },
      { username: 'ops', password: { $gt: '' } },
      { username: 'ops', password: ['a', 'b'] },
      { username: ['ops'], password: PASSWORD },
      { sessionId: { not: 'a string' } },
      'not an object',
    ];
    for (const auth of malformed) {
      // Refused (CONNECT_ERROR), or dropped by socket.io itself for a CONNECT payload that is not an object.
      expect({ auth, answer: await adminHandshake(auth) }).toEqual({
        auth,
        answer: expect.stringMatching(/^44\/admin,|^closed$/),
      });
    }
    expect(app.exitCode()).toBeNull();
    expect(await alive()).toBe(200);
    expect(app.output()).not.toMatch(/Illegal arguments|Unhandled promise rejection/);
  });

  it('limits password guesses per address: after 10 failures even the right password is refused', async () => {
    // The previous test spent some attempts of this address; a success starts it over.
    expect(await adminHandshake({ username: 'ops', password: PASSWORD })).toMatch(/^40\/admin,/);
    for (let i = 0; i < 10; i++) {
      expect(await adminHandshake({ username: 'ops', password: `guess number ${i}` })).toMatch(/^44\/admin,/);
    }
    expect(await adminHandshake({ username: 'ops', password: PASSWORD })).toMatch(
      /^44\/admin,.*Too many admin sign-in attempts from this address/,
    );
    expect(await alive()).toBe(200);
  });
});
