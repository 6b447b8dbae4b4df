import { registerAs } from '@nestjs/config';

import { parseDurationSeconds } from '../common/duration';

export interface AuthConfig {
  /** Null in development without JWT_SECRET: a secret is generated and kept in DATA_DIR. */
  jwtSecret: string | null;
  jwtTtlSeconds: number;
}

export const authConfig = registerAs('auth', (): AuthConfig => ({
  jwtSecret: process.env.JWT_SECRET || null,
  jwtTtlSeconds: parseDurationSeconds(process.env.JWT_TTL ?? '12h'),
}));
