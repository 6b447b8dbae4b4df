import { USERS, message } from '../testing/messages';
import { buildTimeline, dayLabel, timeAgo } from './timeline';

/** Local times, so the day boundaries are the reader's whatever zone the test runs in. */
function at(day: number, hours: number, minutes = 0): string {
  return new Date(2026, 11, day, hours, minutes).toISOString();
}

const NOW = new Date(2026, 11, 5, 15, 0);
const fromAlice = { sender: USERS.alice, senderId: USERS.alice.id };

describe('buildTimeline', () => {
  it('groups one sender’s messages within five minutes under one header', () => {
    const items = buildTimeline(
      [
        message(1, { createdAt: at(5, 10, 0) }),
        message(2, { createdAt: at(5, 10, 4) }),
        message(3, { createdAt: at(5, 10, 8) }), // 4 min after the previous one: still the group
        message(4, { createdAt: at(5, 10, 14) }), // 6 min later: a new header
        message(5, { ...fromAlice, createdAt: at(5, 10, 15) }), // someone else: a new header
        message(6, { createdAt: at(5, 10, 16) }),
      ],
      { now: NOW },
    );
    expect(items.map((item) => (item.kind === 'message' ? [item.key, item.continued] : item.kind))).toEqual([
      'day',
      [1, false],
      [2, true],
      [3, true],
      [4, false],
      [5, false],
      [6, false],
    ]);
  });

  it('separates days, and starts a new group after a separator even within five minutes', () => {
    const items = buildTimeline(
      [
        message(1, { createdAt: at(3, 23, 58) }),
        message(2, { createdAt: at(4, 0, 1) }),
        message(3, { createdAt: at(5, 9, 0) }),
      ],
      { now: NOW },
    );
    expect(
      items.map((item) => (item.kind === 'day' ? item.label : item.kind === 'message' && item.continued)),
    ).toEqual([dayLabel(new Date(2026, 11, 3), NOW), false, 'Yesterday', false, 'Today', false]);
  });

  it('puts the "New messages" divider before the first unread message and breaks the group there', () => {
    const items = buildTimeline(
      [message(1, { createdAt: at(5, 10, 0) }), message(2, { createdAt: at(5, 10, 1) })],
      { firstUnreadSeq: 2, now: NOW },
    );
    expect(items.map((item) => item.kind)).toEqual(['day', 'message', 'unread', 'message']);
    expect(items[3]).toMatchObject({ key: 2, continued: false });
    expect(
      buildTimeline([message(1)], { firstUnreadSeq: 9, now: NOW }).some((i) => i.kind === 'unread'),
    ).toBe(false);
  });
});

describe('dayLabel', () => {
  it('says Today, Yesterday, the weekday within a week, then the date, with the year only when another', () => {
    expect(dayLabel(new Date(2026, 11, 5, 0, 1), NOW)).toBe('Today');
    expect(dayLabel(new Date(2026, 11, 4, 23, 59), NOW)).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 11, 1, 12), NOW, 'en-GB')).toBe('Tuesday');
    // ICU versions differ on commas: the words are what matters.
    expect(dayLabel(new Date(2026, 10, 20, 12), NOW, 'en-GB')).toMatch(/^Friday,? 20 November$/);
    expect(dayLabel(new Date(2025, 11, 24, 12), NOW, 'en-GB')).toMatch(/^Wednesday,? 24 December 2025$/);
  });
});

describe('timeAgo', () => {
  it('says how long ago in words a person reads at a glance', () => {
    expect(timeAgo(new Date(2026, 11, 5, 14, 59, 30).toISOString(), NOW)).toBe('just now');
    expect(timeAgo(new Date(2026, 11, 5, 14, 55).toISOString(), NOW)).toBe('5 min ago');
    expect(timeAgo(new Date(2026, 11, 5, 12, 0).toISOString(), NOW)).toBe('3 h ago');
    expect(timeAgo(new Date(2026, 11, 4, 23, 0).toISOString(), NOW)).toBe('yesterday');
    expect(timeAgo(new Date(2026, 11, 1, 9, 0).toISOString(), NOW, 'en-GB')).toBe('on Tuesday');
  });
});
