import { registerAs } from '@nestjs/config';
import { availableParallelism } from 'node:os';

import { parseDurationSeconds } from '../common/duration';

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

export const authConfig = registerAs('auth', (): AuthConfig => ({
  jwtSecret: process.env.JWT_SECRET || null,
  jwtTtlSeconds: parseDurationSeconds(process.env.JWT_TTL ?? '12h'),
  loginThrottle: {
    maxFailures: process.env.LOGIN_MAX_FAILURES ? Number(process.env.LOGIN_MAX_FAILURES) : 5,
    windowSeconds: parseDurationSeconds(process.env.LOGIN_FAILURE_WINDOW ?? '15m'),
  },
  addressLimits: {
    login: {
      points: numberOr(process.env.LOGIN_RATE_LIMIT, 20),
      windowSeconds: parseDurationSeconds(process.env.LOGIN_RATE_WINDOW ?? '1m'),
    },
    register: {
      points: numberOr(process.env.REGISTER_RATE_LIMIT, 10),
      windowSeconds: parseDurationSeconds(process.env.REGISTER_RATE_WINDOW ?? '1h'),
    },
  },
  // libuv runs argon2 on its thread pool (4 threads by default); more at once only queues there.
  passwordHashConcurrency: numberOr(
    process.env.PASSWORD_HASH_CONCURRENCY,
    Math.min(4, availableParallelism()),
  ),
  passwordHashQueue: numberOr(process.env.PASSWORD_HASH_QUEUE, 32),
}));

const numberOr = (value: string | undefined, fallback: number): number =>
  value === undefined || value === '' ? fallback : Number(value);
