import { registerAs } from '@nestjs/config';
import { availableParallelism } from 'node:os';

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
  // 20 a minute, in windows of 15 s: a flood from one address gets at most 5 hashes queued at once
  // ahead of real sign-ins, not a burst of 20.
  LOGIN_RATE_LIMIT: int(
    1,
    1_000_000,
    5,
    'login attempts per client address (see `TRUST_PROXY`) within the window, counted across instances; the next get 429 `RATE_LIMITED`',
  ),
  LOGIN_RATE_WINDOW: duration('15s', 'that window', { positive: true }),
  REGISTER_RATE_LIMIT: int(1, 1_000_000, 10, 'registrations per client address within the window'),
  REGISTER_RATE_WINDOW: duration('1h', 'that window', { positive: true }),
  // libuv runs argon2 on its thread pool (4 threads by default); more at once only queues there.
  PASSWORD_HASH_CONCURRENCY: int(
    1,
    64,
    Math.min(4, availableParallelism()),
    'password hashes (argon2id, 19 MiB each) computed at once by this instance',
    'min(4, CPU cores)',
  ),
  PASSWORD_HASH_QUEUE: int(
    0,
    10_000,
    32,
    'hashes that may wait for a slot; past that, 503 `UNAVAILABLE` with `Retry-After`',
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
  /** Per client address (see TRUST_PROXY), counted across instances: every attempt counts. */
  addressLimits: {
    login: AddressLimit;
    register: AddressLimit;
  };
  /** Password hashes (argon2id, 19 MiB each) computed at once by this instance; more wait in a bounded queue. */
  passwordHashConcurrency: number;
  /** Hashes that may wait for a slot; past that, UNAVAILABLE (503, Retry-After). */
  passwordHashQueue: number;
}

export interface AddressLimit {
  points: number;
  windowSeconds: number;
}

export const authConfig = registerAs('auth', (): AuthConfig => {
  const env = readEnv(authEnv);
  return {
    jwtSecret: env.JWT_SECRET,
    jwtTtlSeconds: env.JWT_TTL,
    loginThrottle: { maxFailures: env.LOGIN_MAX_FAILURES, windowSeconds: env.LOGIN_FAILURE_WINDOW },
    addressLimits: {
      login: { points: env.LOGIN_RATE_LIMIT, windowSeconds: env.LOGIN_RATE_WINDOW },
      register: { points: env.REGISTER_RATE_LIMIT, windowSeconds: env.REGISTER_RATE_WINDOW },
    },
    passwordHashConcurrency: env.PASSWORD_HASH_CONCURRENCY,
    passwordHashQueue: env.PASSWORD_HASH_QUEUE,
  };
});
