import { registerAs } from '@nestjs/config';

import { duration, int, readEnv, text } from './env-var';

export const authEnv = {
  JWT_SECRET: text(
    { minLength: 32, unset: 'development: generated once into `DATA_DIR/jwt-secret`' },
    'HS256 secret; **required when `NODE_ENV=production`**',
  ),
  JWT_TTL: duration('12h', 'token lifetime'),
  LOGIN_MAX_FAILURES: int(
    1,
    1000,
    5,
    'login attempts per username that may fail within the window; the next ones get 429 `RATE_LIMITED` with `retryAfter` and `Retry-After`',
  ),
  LOGIN_FAILURE_WINDOW: duration(
    '15m',
    'that window, counted from the first failure; a successful login starts over. Counted in Redis (all instances), in memory without `REDIS_URL`',
    { positive: true },
  ),
};

export interface AuthConfig {
  /** Null in development without JWT_SECRET: a secret is generated and kept in DATA_DIR. */
  jwtSecret: string | null;
  jwtTtlSeconds: number;
  /** Login attempts per username (not per address: behind a proxy every client has its address). */
  loginThrottle: {
    /** Attempts that may fail within the window; the next one is answered 429 until it ends. */
    maxFailures: number;
    /** Counted from the first failure; a successful login starts over. */
    windowSeconds: number;
  };
}

export const authConfig = registerAs('auth', (): AuthConfig => {
  const env = readEnv(authEnv);
  return {
    jwtSecret: env.JWT_SECRET,
    jwtTtlSeconds: env.JWT_TTL,
    loginThrottle: { maxFailures: env.LOGIN_MAX_FAILURES, windowSeconds: env.LOGIN_FAILURE_WINDOW },
  };
});
