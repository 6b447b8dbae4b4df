import { SdkErrorCode } from './errors';

/** Failures where the same request may succeed later; resending is safe because the clientMsgId dedupes. */
const TRANSIENT: ReadonlySet<SdkErrorCode> = new Set<SdkErrorCode>([
  'TIMEOUT',
  'DISCONNECTED',
  'UNAVAILABLE',
  'INTERNAL',
  'RATE_LIMITED',
]);

export function isTransient(code: SdkErrorCode): boolean {
  return TRANSIENT.has(code);
}

/** Exponential backoff: `baseMs` doubled per attempt (0-based), capped at `capMs`. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(baseMs * 2 ** attempt, capMs);
}

/** The wait before retrying a failure: the server's `retryAfter` when rate limited, else the backoff. */
export function retryDelay(
  failure: { code: SdkErrorCode; retryAfter?: number },
  attempt: number,
  baseMs: number,
  capMs: number,
): number {
  if (failure.code === 'RATE_LIMITED' && failure.retryAfter !== undefined) return failure.retryAfter * 1000;
  return backoffDelay(attempt, baseMs, capMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
