import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BurstyRateLimiter } from 'rate-limiter-flexible';

import { burstyLimiter } from '../chat/client-event-budgets';
import { consumeOrRefuse } from '../common/rate-limit';
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
    await consumeOrRefuse(
      this.limiter,
      userId,
      (retryAfter) => `Too many searches, retry in ${retryAfter} s`,
    );
  }
}
