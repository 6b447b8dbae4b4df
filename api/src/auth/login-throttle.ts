import { Logger } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

import { consumeOrRefuse } from '../common/rate-limit';
import type { AuthConfig } from '../config/auth.config';
import type { RedisClient } from '../redis/redis.module';

export type LoginThrottleSettings = AuthConfig['loginThrottle'];

/**
 * Limits password guesses per account: every login attempt is counted against its username before
 * the password is checked, a successful one clears the count, and once `maxFailures` attempts have
 * been spent within the window the next ones are refused with RATE_LIMITED (429, `retryAfter`)
 * until the window — counted from the first failure — is over. Counting before checking makes the
 * limit hold under concurrent attempts: the increment is atomic, so a burst of parallel guesses
 * cannot all pass a "still under the limit?" check at once.
 *
 * Keyed by username, not by address: behind the balancer every client has its address, and an
 * attacker rotating addresses would not be slowed. Unknown usernames are counted the same way, so
 * the answers say nothing about which accounts exist. The trade-off is that anyone can lock an
 * account's logins for one window by failing on purpose; its open sessions are not affected.
 */
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(private readonly limiter: RateLimiterAbstract) {}

  /** Shared by every instance through Redis; in memory when this is the only instance. */
  static create(settings: LoginThrottleSettings, redis: { client: RedisClient; keyPrefix: string } | null) {
    const options = {
      points: settings.maxFailures,
      duration: settings.windowSeconds,
      keyPrefix: redis?.keyPrefix ?? 'login-attempts',
    };
    if (!redis) return new LoginThrottle(new RateLimiterMemory(options));
    return new LoginThrottle(
      new RateLimiterRedis({
        ...options,
        storeClient: redis.client,
        // While Redis is away, count in this instance's memory instead of failing every login or
        // waiting on the connection's retries.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      }),
    );
  }

  /** Counts one attempt for the account; throws RATE_LIMITED when its attempts are used up. */
  async attempt(username: string): Promise<void> {
    await consumeOrRefuse(
      this.limiter,
      accountKey(username),
      (retryAfter) => `Too many failed logins for this account, try again in ${retryAfter} s`,
    );
  }

  /** After a successful login: the account starts with a clean slate. */
  async succeeded(username: string): Promise<void> {
    try {
      await this.limiter.delete(accountKey(username));
    } catch (error) {
      // The login itself succeeded; a count left behind only expires with its window.
      this.logger.warn(`Could not reset the login attempts of an account: ${(error as Error).message}`);
    }
  }
}

/** Usernames are unique case-insensitively, so `Alice` and `alice` are one account. */
const accountKey = (username: string): string => username.toLowerCase();
