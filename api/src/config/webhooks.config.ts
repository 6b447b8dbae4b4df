import { registerAs } from '@nestjs/config';

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

const numberOr = (value: string | undefined, fallback: number): number =>
  value === undefined || value === '' ? fallback : Number(value);

export const webhooksConfig = registerAs('webhooks', (): WebhooksConfig => ({
  maxAttempts: numberOr(process.env.WEBHOOK_MAX_ATTEMPTS, 8),
  backoffMs: numberOr(process.env.WEBHOOK_BACKOFF_MS, 1_000),
  disableAfterFailures: numberOr(process.env.WEBHOOK_DISABLE_AFTER_FAILURES, 20),
  timeoutMs: numberOr(process.env.WEBHOOK_TIMEOUT_MS, 10_000),
  lockMs: numberOr(process.env.WEBHOOK_LOCK_MS, 30_000),
}));
