import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

import { consumeOrRefuse } from '../common/rate-limit';
import { AllConfig } from '../config/config.type';
import { RedisConnection } from '../redis/redis.module';

/** Uploads per user per minute, counted across the cluster in Redis (in memory on a single instance). */
@Injectable()
export class UploadBudget {
  private readonly limiter: RateLimiterAbstract;

  constructor(config: ConfigService<AllConfig, true>, redis: RedisConnection) {
    const options = {
      points: config.get('attachments.uploadsPerMinute', { infer: true }),
      duration: 60,
      keyPrefix: redis.client ? redis.key('uploads') : 'uploads',
    };
    this.limiter = redis.client
      ? new RateLimiterRedis({
          ...options,
          storeClient: redis.client,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options);
  }

  async spend(userId: string): Promise<void> {
    await consumeOrRefuse(
      this.limiter,
      userId,
      (retryAfter) => `Too many uploads, try again in ${retryAfter} s`,
    );
  }
}
