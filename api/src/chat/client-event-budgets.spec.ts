import type { ConfigService } from '@nestjs/config';

import type { RedisConnection } from '../redis/redis.module';
import { ClientEventBudgets } from './client-event-budgets';

/** In memory (no Redis): the same budgets, counted per instance. */
function budgets(): ClientEventBudgets {
  const limits = {
    messagesPerWindow: 1,
    messageBurst: 0,
    editsPerWindow: 2,
    editBurst: 0,
    eventsPerWindow: 1,
    eventBurst: 0,
    rateWindowSeconds: 60,
  };
  const config = { get: () => limits } as unknown as ConfigService;
  return new ClientEventBudgets(config as never, { client: null } as unknown as RedisConnection);
}

const refused = { code: 'RATE_LIMITED', retryAfter: expect.any(Number) };

describe('ClientEventBudgets', () => {
  it('counts edits and deletes against one budget', async () => {
    const subject = budgets();
    await subject.consume('u1', 'message:edit');
    await subject.consume('u1', 'message:delete');
    await expect(subject.consume('u1', 'message:edit')).rejects.toMatchObject(refused);
  });

  it('gives each other event its own budget, and every unknown event name one shared budget', async () => {
    const subject = budgets();
    await subject.consume('u1', 'typing');
    await subject.consume('u1', 'message:read');
    await expect(subject.consume('u1', 'typing')).rejects.toMatchObject(refused);
    await subject.consume('u1', 'no:such:event');
    await expect(subject.consume('u1', 'another:one')).rejects.toMatchObject(refused);
  });

  it('keeps users apart', async () => {
    const subject = budgets();
    await subject.consume('u1', 'message:send');
    await subject.consume('u2', 'message:send');
    await expect(subject.consume('u1', 'message:send')).rejects.toMatchObject(refused);
  });
});
