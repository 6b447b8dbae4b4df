import { type BurstyRateLimiter, RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

import { ErrorCode } from '@chat/contracts';

import { AppError } from './app-error';

/**
 * Spends one point of `key`'s budget, or throws RATE_LIMITED carrying the whole seconds to wait
 * (`retryAfter`, at least 1) and the message `refusal` writes for them. Anything else the limiter
 * throws (Redis down without an insurance limiter) is thrown as it is.
 */
export async function consumeOrRefuse(
  limiter: RateLimiterAbstract | BurstyRateLimiter,
  key: string,
  refusal: (retryAfterSeconds: number) => string,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new AppError(ErrorCode.RATE_LIMITED, refusal(retryAfter), undefined, retryAfter);
  }
}
