import { WebhookDelivery, WebhookEvent } from '@chat/contracts';

/** One event sent to a webhook, as its owner wants to see it: how it ended up after every attempt. */
export interface DeliverySummary {
  deliveryId: string;
  event: WebhookEvent;
  outcome: WebhookDelivery['outcome'];
  /** The HTTP status of the latest attempt; null when no answer came (timeout, refused connection). */
  responseStatus: number | null;
  attempts: number;
  /** The error of the latest failed attempt, if any attempt failed. */
  lastError: string | null;
  lastAttemptAt: string;
}

/** The log holds one row per attempt, newest first: one summary per delivery, newest first. */
export function summarizeDeliveries(attempts: readonly WebhookDelivery[]): DeliverySummary[] {
  const byDelivery = new Map<string, DeliverySummary>();
  for (const attempt of attempts) {
    const seen = byDelivery.get(attempt.deliveryId);
    if (!seen) {
      byDelivery.set(attempt.deliveryId, {
        deliveryId: attempt.deliveryId,
        event: attempt.event,
        outcome: attempt.outcome,
        responseStatus: attempt.responseStatus,
        attempts: attempt.attempt,
        lastError: attempt.error,
        lastAttemptAt: attempt.createdAt,
      });
      continue;
    }
    seen.attempts = Math.max(seen.attempts, attempt.attempt);
    seen.lastError ??= attempt.error;
  }
  return [...byDelivery.values()];
}
