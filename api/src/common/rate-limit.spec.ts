import { RateLimiterMemory } from 'rate-limiter-flexible';

import { consumeOrRefuse } from './rate-limit';

describe('consumeOrRefuse', () => {
  it('spends the budget, then refuses with RATE_LIMITED and whole seconds to wait', async () => {
    const limiter = new RateLimiterMemory({ points: 1, duration: 30 });
    await consumeOrRefuse(limiter, 'alice', (s) => `wait ${s} s`);
    await expect(consumeOrRefuse(limiter, 'alice', (s) => `wait ${s} s`)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: 'wait 30 s',
      retryAfter: 30,
    });
    // Another key has a budget of its own.
    await expect(consumeOrRefuse(limiter, 'bob', (s) => `wait ${s} s`)).resolves.toBeUndefined();
  });

  it('passes on what the limiter throws that is not a refusal', async () => {
    const outage = new Error('Redis is not ready');
    const limiter = { consume: () => Promise.reject(outage) } as unknown as RateLimiterMemory;
    await expect(consumeOrRefuse(limiter, 'alice', () => 'never')).rejects.toBe(outage);
  });
});
