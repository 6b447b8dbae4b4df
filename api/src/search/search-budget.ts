import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BurstyRateLimiter, RateLimiterRes } from 'rate-limiter-flexible';

import { ErrorCode } from '@chat/contracts';

import { burstyLimiter } from '../chat/client-event-budgets';
import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { RedisConnection } from '../redis/redis.module';

/**
 * Searches per user, shared by every instance through Redis like the socket event budgets: a search
 * is the most expensive read a user can ask for, so it has a budget of its own.
 */
@Injectable()
export class SearchBudget {
  private readonly limiter: BurstyRateLimiter;

  constructor(config: ConfigService<AllConfig, true>, redis: RedisConnection) {
    const limits = config.get('limits', { infer: true });
    this.limiter = burstyLimiter(
      { name: 'search', perWindow: limits.searchesPerWindow, burst: limits.searchBurst, noun: 'searches' },
      limits.rateWindowSeconds,
      redis,
    );
  }

  /** Spends one search of the user's budget, or throws RATE_LIMITED with the seconds to wait. */
  async consume(userId: string): Promise<void> {
    try {
      await this.limiter.consume(userId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `Too many searches, retry in ${retryAfter} s`,
        undefined,
        retryAfter,
      );
    }
  }
}
