import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  BurstyRateLimiter,
  IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
} from 'rate-limiter-flexible';

import { ClientEvent, ClientEventName } from '@chat/contracts';

import { consumeOrRefuse } from '../common/rate-limit';
import { AllConfig } from '../config/config.type';
import { RedisConnection } from '../redis/redis.module';

/** The budget events without a handler are counted against, all together. */
export const UNKNOWN_EVENT = 'unknown';

export interface Budget {
  /** The Redis key part: events sharing a budget share it. */
  name: string;
  perWindow: number;
  burst: number;
  /** How a refusal reads in the error message. */
  noun: string;
}

/**
 * A budget for every client event, per user: a sustained rate plus a burst allowance, counted in
 * Redis so that all of a user's sockets on every instance share one budget and reconnecting
 * elsewhere resets nothing. message:send has its own limits; edits and deletes share one; every
 * other event has a budget of its own (a typing flood does not block read receipts), and unknown
 * events share one; reaction adds and removes share one. Spent before the event is handled, so a refused event changes nothing.
 */
@Injectable()
export class ClientEventBudgets {
  private readonly limiters = new Map<string, { limiter: BurstyRateLimiter; noun: string }>();

  constructor(config: ConfigService<AllConfig, true>, redis: RedisConnection) {
    const limits = config.get('limits', { infer: true });
    const edits: Budget = {
      name: 'edit',
      perWindow: limits.editsPerWindow,
      burst: limits.editBurst,
      noun: 'edits',
    };
    const reactions = this.eventBudget('reaction', limits);
    const budgets: Record<ClientEventName | typeof UNKNOWN_EVENT, Budget> = {
      [ClientEvent.MESSAGE_SEND]: {
        name: 'msg',
        perWindow: limits.messagesPerWindow,
        burst: limits.messageBurst,
        noun: 'messages',
      },
      [ClientEvent.MESSAGE_EDIT]: edits,
      [ClientEvent.MESSAGE_DELETE]: edits,
      [ClientEvent.MESSAGE_READ]: this.eventBudget('read', limits),
      [ClientEvent.TYPING]: this.eventBudget('typing', limits),
      [ClientEvent.ROOM_JOIN]: this.eventBudget('join', limits),
      [ClientEvent.ROOM_LEAVE]: this.eventBudget('leave', limits),
      [ClientEvent.AUTH_REFRESH]: this.eventBudget('refresh', limits),
      // Adds and removes share one budget: toggling is the flood to stop.
      [ClientEvent.REACTION_ADD]: reactions,
      [ClientEvent.REACTION_REMOVE]: reactions,
      [UNKNOWN_EVENT]: this.eventBudget('unknown', limits),
    };
    const byName = new Map<string, { limiter: BurstyRateLimiter; noun: string }>();
    for (const [event, budget] of Object.entries(budgets)) {
      let entry = byName.get(budget.name);
      if (!entry) {
        entry = { limiter: burstyLimiter(budget, limits.rateWindowSeconds, redis), noun: budget.noun };
        byName.set(budget.name, entry);
      }
      this.limiters.set(event, entry);
    }
  }

  /**
   * Spends one event of the user's budget for it (an unknown event name: the unknown-events
   * budget), or throws RATE_LIMITED with the seconds to wait.
   */
  async consume(userId: string, event: string): Promise<void> {
    const { limiter, noun } = this.limiters.get(event) ?? this.limiters.get(UNKNOWN_EVENT)!;
    await consumeOrRefuse(limiter, userId, (retryAfter) => `Too many ${noun}, retry in ${retryAfter} s`);
  }

  private eventBudget(name: string, limits: AllConfig['limits']): Budget {
    return { name, perWindow: limits.eventsPerWindow, burst: limits.eventBurst, noun: `${name} events` };
  }
}

/** A sustained rate plus a burst allowance, in Redis when there is one (in memory while it is away). */
export function burstyLimiter(
  budget: Budget,
  windowSeconds: number,
  redis: RedisConnection,
): BurstyRateLimiter {
  const sustained = { points: budget.perWindow, duration: windowSeconds };
  const burst = { points: budget.burst, duration: 10 * windowSeconds };
  return new BurstyRateLimiter(
    limiterOf(sustained, keyOf(redis, budget.name), redis),
    limiterOf(burst, keyOf(redis, `${budget.name}-burst`), redis),
  );
}

const keyOf = (redis: RedisConnection, name: string): string =>
  redis.client ? redis.key('rate', name) : `rate:${name}`;

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
    // While Redis is away, each instance limits on its own rather than refusing or delaying every event.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}
