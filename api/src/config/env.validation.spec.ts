import { validateEnvironment } from './env.validation';

describe('validateEnvironment', () => {
  it('accepts an empty environment: every variable has a development default', () => {
    expect(() => validateEnvironment({})).not.toThrow();
  });

  it('converts numeric strings', () => {
    expect(validateEnvironment({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('requires a long JWT_SECRET in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).not.toThrow();
  });

  it('accepts login throttling limits and refuses nonsense', () => {
    const env = validateEnvironment({ LOGIN_MAX_FAILURES: '10', LOGIN_FAILURE_WINDOW: '1h' });
    expect(env.LOGIN_MAX_FAILURES).toBe(10);
    expect(() => validateEnvironment({ LOGIN_MAX_FAILURES: '0' })).toThrow(/LOGIN_MAX_FAILURES/);
    expect(() => validateEnvironment({ LOGIN_MAX_FAILURES: 'five' })).toThrow(/LOGIN_MAX_FAILURES/);
    expect(() => validateEnvironment({ LOGIN_FAILURE_WINDOW: '0' })).toThrow(/LOGIN_FAILURE_WINDOW/);
    expect(() => validateEnvironment({ LOGIN_FAILURE_WINDOW: '15 minutes' })).toThrow(/LOGIN_FAILURE_WINDOW/);
  });

  it.each(['*', 'https://chat.example.com', 'http://localhost:4200, https://chat.example.com:8443'])(
    'accepts CORS_ORIGINS=%j',
    (value) => {
      expect(() => validateEnvironment({ CORS_ORIGINS: value })).not.toThrow();
    },
  );

  it.each([
    'chat.example.com',
    'https://chat.example.com/',
    'https://chat.example.com/app',
    'https://*.example.com',
    '',
  ])('refuses CORS_ORIGINS=%j: browsers send bare origins, which would never match', (value) => {
    expect(() => validateEnvironment({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS/);
  });

  it('names every bad variable in one message', () => {
    const attempt = () =>
      validateEnvironment({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'http://x',
        SOCKET_ADAPTER: 'kafka',
        JWT_TTL: 'forever',
        LOG_LEVEL: 'loud',
      });
    expect(attempt).toThrow(/PORT/);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'SOCKET_ADAPTER', 'JWT_TTL', 'LOG_LEVEL']) {
        expect(message).toContain(name);
      }
    }
  });

  it('bounds the database timeouts and the socket output limit', () => {
    expect(
      validateEnvironment({
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        DATABASE_STATEMENT_TIMEOUT_MS: '3000',
        SOCKET_MAX_BUFFERED_BYTES: '262144',
      }),
    ).toMatchObject({
      DATABASE_CONNECT_TIMEOUT_MS: 1000,
      DATABASE_STATEMENT_TIMEOUT_MS: 3000,
      SOCKET_MAX_BUFFERED_BYTES: 262144,
    });
    expect(() => validateEnvironment({ DATABASE_CONNECT_TIMEOUT_MS: '0' })).toThrow(
      /DATABASE_CONNECT_TIMEOUT_MS/,
    );
    expect(() => validateEnvironment({ DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => validateEnvironment({ SOCKET_MAX_BUFFERED_BYTES: '1024' })).toThrow(
      /SOCKET_MAX_BUFFERED_BYTES/,
    );
  });

  it('accepts client event budgets and the re-check interval, and refuses nonsense', () => {
    expect(
      validateEnvironment({
        EDIT_RATE_LIMIT: '5',
        EDIT_BURST: '0',
        EVENT_RATE_LIMIT: '20',
        EVENT_BURST: '600',
        SOCKET_RECHECK_MS: '0',
      }),
    ).toMatchObject({
      EDIT_RATE_LIMIT: 5,
      EDIT_BURST: 0,
      EVENT_RATE_LIMIT: 20,
      EVENT_BURST: 600,
      SOCKET_RECHECK_MS: 0,
    });
    for (const [name, value] of [
      ['EDIT_RATE_LIMIT', '0'],
      ['EVENT_RATE_LIMIT', 'many'],
      ['EVENT_BURST', '-1'],
      ['SOCKET_RECHECK_MS', '3600000'],
    ]) {
      expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(name));
    }
  });
});
