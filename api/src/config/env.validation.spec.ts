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
});
