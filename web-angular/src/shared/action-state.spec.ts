import { ChatApiError } from '@chat/sdk';

import { ActionState } from './action-state';

describe('ActionState', () => {
  it('is busy with its item while the work runs, and keeps no failure after a success', async () => {
    const action = new ActionState<string>();
    let finish!: () => void;
    const run = action.run(() => new Promise<void>((resolve) => (finish = resolve)), 'room-1');
    expect(action.busy()).toBe(true);
    expect(action.running()).toBe('room-1');
    finish();
    await expect(run).resolves.toBe(true);
    expect(action.busy()).toBe(false);
    expect(action.failure()).toBeNull();
  });

  it('keeps what the work threw, as the error and as a sentence, until the next run', async () => {
    const action = new ActionState();
    const refused = new ChatApiError(409, { code: 'CONFLICT', message: 'Already a member' });
    await expect(action.run(() => Promise.reject(refused))).resolves.toBe(false);
    expect(action.busy()).toBe(false);
    expect(action.failure()).toBe(refused);
    expect(action.error()).toBe('Already a member');

    let finish!: () => void;
    const next = action.run(() => new Promise<void>((resolve) => (finish = resolve)));
    expect(action.failure()).toBeNull();
    finish();
    await next;
  });
});
