import { registerAs } from '@nestjs/config';

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
}

export const authConfig = registerAs('auth', (): AuthConfig => ({
  jwtSecret: process.env.JWT_SECRET || null,
  jwtTtlSeconds: parseDurationSeconds(process.env.JWT_TTL ?? '12h'),
  loginThrottle: {
    maxFailures: process.env.LOGIN_MAX_FAILURES ? Number(process.env.LOGIN_MAX_FAILURES) : 5,
    windowSeconds: parseDurationSeconds(process.env.LOGIN_FAILURE_WINDOW ?? '15m'),
  },
}));
