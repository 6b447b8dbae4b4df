import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  BurstyRateLimiter,
  IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

import { ErrorCode } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { RedisConnection } from '../redis/redis.module';

/**
 * message:send per user: a sustained rate plus a burst allowance, counted in Redis so that all of a
 * user's sockets on every instance share one budget and reconnecting elsewhere resets nothing.
 * Counted before the message is stored, so a refused message is never stored.
 */
@Injectable()
export class MessageRateLimiter {
  private readonly limiter: BurstyRateLimiter;

  constructor(config: ConfigService<AllConfig, true>, redis: RedisConnection) {
    const limits = config.get('limits', { infer: true });
    const sustained = { points: limits.messagesPerWindow, duration: limits.rateWindowSeconds };
    const burst = { points: limits.messageBurst, duration: 10 * limits.rateWindowSeconds };
    this.limiter = new BurstyRateLimiter(
      limiterOf(sustained, redis.client ? redis.key('rate', 'msg') : 'rate:msg', redis),
      limiterOf(burst, redis.client ? redis.key('rate', 'msg-burst') : 'rate:msg-burst', redis),
    );
  }

  /** Spends one message of the user's budget, or throws RATE_LIMITED with the seconds to wait. */
  async consume(userId: string): Promise<void> {
    try {
      await this.limiter.consume(userId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `Too many messages, retry in ${retryAfter} s`,
        undefined,
        retryAfter,
      );
    }
  }
}

function limiterOf(
  options: Pick<IRateLimiterOptions, 'points' | 'duration'>,
  keyPrefix: string,
  redis: RedisConnection,
) {
  const memory = new RateLimiterMemory({ ...options, keyPrefix });
  if (!redis.client) return memory;
  return new RateLimiterRedis({
    ...options,
    keyPrefix,
    storeClient: redis.client,
    // While Redis is away, each instance limits on its own rather than refusing or delaying every message.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}
