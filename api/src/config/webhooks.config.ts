import { registerAs } from '@nestjs/config';

import { int, readEnv } from './env-var';

export const webhooksEnv = {
  WEBHOOK_MAX_ATTEMPTS: int(
    1,
    100,
    8,
    'attempts per event, the first included, before a delivery is given up',
  ),
  WEBHOOK_BACKOFF_MS: int(10, 3_600_000, 1_000, 'first retry delay; each further one doubles'),
  WEBHOOK_DISABLE_AFTER_FAILURES: int(
    1,
    100_000,
    20,
    'consecutive failed attempts after which a webhook is disabled until its owner enables it again',
  ),
  WEBHOOK_TIMEOUT_MS: int(100, 120_000, 10_000, 'how long the endpoint may take to answer one attempt'),
  WEBHOOK_LOCK_MS: int(
    1_000,
    600_000,
    30_000,
    'how long a worker holds a job; a job held by a dead instance is taken over after about this long',
  ),
};

/** Outgoing webhooks: delivered through a BullMQ queue on the app's Redis (none without REDIS_URL). */
export interface WebhooksConfig {
  /** Attempts per event, the first included, before the delivery is given up. */
  maxAttempts: number;
  /** First retry delay; each further one doubles (exponential backoff). */
  backoffMs: number;
  /** Consecutive failed attempts after which a webhook is disabled until its owner enables it again. */
  disableAfterFailures: number;
  /** How long the endpoint may take to answer one attempt. */
  timeoutMs: number;
  /** How long a worker holds a job; a job held by a dead instance is taken over after about this long. */
  lockMs: number;
}

export const webhooksConfig = registerAs('webhooks', (): WebhooksConfig => {
  const env = readEnv(webhooksEnv);
  return {
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    backoffMs: env.WEBHOOK_BACKOFF_MS,
    disableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    lockMs: env.WEBHOOK_LOCK_MS,
  };
});
