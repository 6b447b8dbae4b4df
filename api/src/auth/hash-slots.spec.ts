import { ErrorCode } from '@chat/contracts';

import { HashSlots } from './hash-slots';

/** A unit of work that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, work: () => opened };
}

describe('HashSlots', () => {
  it('runs at most `concurrency` at once, queues up to the limit, refuses beyond it with UNAVAILABLE', async () => {
    const slots = new HashSlots(2, 1);
    const gates = [gate(), gate(), gate()];
    const running = gates.map((g) => slots.run(g.work));
    expect(slots.load).toEqual({ running: 2, waiting: 1 });

    await expect(slots.run(async () => 'too many')).rejects.toMatchObject({
      code: ErrorCode.UNAVAILABLE,
      retryAfter: 1,
    });

    gates[0].open();
    await running[0];
    expect(slots.load).toEqual({ running: 2, waiting: 0 });
    gates[1].open();
    gates[2].open();
    await Promise.all(running);
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
    await expect(slots.run(async () => 'room again')).resolves.toBe('room again');
  });

  it('frees the slot when the work fails', async () => {
    const slots = new HashSlots(1, 0);
    await expect(slots.run(() => Promise.reject(new Error('argon2 failed')))).rejects.toThrow(
      'argon2 failed',
    );
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});
