import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

import type { RedisClient } from '../redis/redis.module';
import { consumeOrRefuse } from './rate-limit';

export interface AddressLimit {
  points: number;
  windowSeconds: number;
}

/**
 * At most `points` attempts of one kind (login, registration, admin password) per client address
 * per window, counted before any password work is done, so a flood from one address costs a Redis
 * increment per request instead of an argon2 hash. The address is the client's as TRUST_PROXY
 * resolves it: behind a balancer that is not configured as trusted, every client shares the
 * balancer's address, so set TRUST_PROXY there.
 */
export class AddressLimiter {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly what: string,
  ) {}

  /** Shared by every instance through Redis; in memory when this is the only instance. */
  static create(
    name: string,
    what: string,
    limit: AddressLimit,
    redis: { client: RedisClient; keyPrefix: string } | null,
  ): AddressLimiter {
    const options = {
      points: limit.points,
      duration: limit.windowSeconds,
      keyPrefix: redis ? redis.keyPrefix : name,
    };
    if (!redis) return new AddressLimiter(new RateLimiterMemory(options), what);
    return new AddressLimiter(
      new RateLimiterRedis({
        ...options,
        storeClient: redis.client,
        // While Redis is away, count in this instance's memory rather than refuse everyone.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      }),
      what,
    );
  }

  /** Counts one attempt from the address; throws RATE_LIMITED (with `retryAfter`) when its budget is spent. */
  async consume(address: string): Promise<void> {
    await consumeOrRefuse(
      this.limiter,
      address,
      (retryAfter) => `Too many ${this.what} from this address, try again in ${retryAfter} s`,
    );
  }

  /** The address starts with a clean slate (after a successful admin sign-in). */
  async reset(address: string): Promise<void> {
    await this.limiter.delete(address).catch(() => undefined);
  }
}
