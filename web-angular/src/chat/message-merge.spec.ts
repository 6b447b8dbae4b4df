import { message } from '../testing/messages';
import { mergeMessages } from './message-merge';

describe('mergeMessages', () => {
  it('orders by seq whatever the arrival order, one entry per seq', () => {
    const live = [message(5), message(6)];
    const catchUp = [message(3), message(4), message(5)];
    const older = [message(1), message(2)];
    const merged = mergeMessages(mergeMessages(live, catchUp), older);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('returns the same array when nothing is new, so a signal holding it does not notify', () => {
    const current = [message(1), message(2)];
    expect(mergeMessages(current, [message(2), message(1)])).toBe(current);
    expect(mergeMessages(current, [])).toBe(current);
  });

  it('keeps the newest version: an edit over the original, a deletion over an edit, never back', () => {
    const original = message(1);
    const edited = message(1, { body: 'fixed', editedAt: '2026-01-01T12:05:00.000Z' });
    const deleted = message(1, {
      body: '',
      editedAt: edited.editedAt,
      deletedAt: '2026-01-01T12:06:00.000Z',
    });

    expect(mergeMessages([original], [edited])[0].body).toBe('fixed');
    // A late live copy of the original (or an old page) does not undo the edit.
    expect(mergeMessages([edited], [original])[0].body).toBe('fixed');
    expect(mergeMessages([edited], [deleted])[0].deletedAt).not.toBeNull();
    expect(mergeMessages([deleted], [edited])[0].deletedAt).not.toBeNull();
  });
});
