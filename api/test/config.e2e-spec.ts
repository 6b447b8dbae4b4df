import { startBuiltApp } from './support/built-app';

describe('configuration at start-up', () => {
  it('refuses to start in production without a JWT secret, saying which variable is wrong', async () => {
    const attempt = startBuiltApp({ NODE_ENV: 'production', JWT_SECRET: undefined, PORT: 'eighty' });
    await expect(attempt).rejects.toThrow(/JWT_SECRET is required when NODE_ENV=production/);
    await expect(startBuiltApp({ NODE_ENV: 'production', JWT_SECRET: undefined })).rejects.toThrow(
      /exited during start-up/,
    );
  });

  it('names every invalid variable', async () => {
    const attempt = startBuiltApp({
      REDIS_URL: 'http://not-redis',
      SOCKET_ADAPTER: 'kafka',
      JWT_TTL: 'forever',
    });
    await expect(attempt).rejects.toThrow(/REDIS_URL[\s\S]*SOCKET_ADAPTER|SOCKET_ADAPTER[\s\S]*REDIS_URL/);
    await expect(attempt).rejects.toThrow(/JWT_TTL must be a duration/);
  });
});
