import type { MessageReactionsEvent } from '@chat/contracts';

import { ReactionVersions, withReplyCounters } from './conversation-updates';
import { messageAt } from './testing/messages';

const event = (messageId: string, version: number): MessageReactionsEvent => ({
  roomId: 'room-1',
  messageId,
  userId: 'user-1',
  emoji: '👍',
  added: true,
  reactions: [{ emoji: '👍', count: version, userIds: ['user-1'] }],
  version,
});

describe('ReactionVersions', () => {
  it('accepts newer versions per message and refuses older or repeated ones', () => {
    const versions = new ReactionVersions();
    expect(versions.accept(event('m1', 2))).toBe(true);
    expect(versions.accept(event('m1', 1))).toBe(false);
    expect(versions.accept(event('m1', 2))).toBe(false);
    expect(versions.accept(event('m2', 1))).toBe(true);
    expect(versions.accept(event('m1', 3))).toBe(true);
  });

  it('starts over for a forgotten message', () => {
    const versions = new ReactionVersions();
    versions.accept(event('m1', 5));
    versions.forget('m1');
    expect(versions.accept(event('m1', 1))).toBe(true);
  });
});

describe('withReplyCounters', () => {
  const root = { ...messageAt(1), replyCount: 2, lastReplyAt: '2026-01-01T00:00:02.000Z' };
  const reply = (replyCount: number, threadRootId = root.id) => ({
    ...messageAt(5),
    threadRootId,
    threadRoot: { replyCount, lastReplyAt: `2026-01-01T00:00:0${replyCount}.000Z` },
  });

  it("takes a reply's newer counters", () => {
    expect(withReplyCounters(root, reply(3))).toMatchObject({
      replyCount: 3,
      lastReplyAt: '2026-01-01T00:00:03.000Z',
    });
  });

  it('keeps the root as it is for older counters, another thread, or a message without counters', () => {
    expect(withReplyCounters(root, reply(1))).toBe(root);
    expect(withReplyCounters(root, reply(9, 'other-root'))).toBe(root);
    expect(withReplyCounters(root, messageAt(6))).toBe(root);
  });
});
