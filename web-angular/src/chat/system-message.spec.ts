import type { Message } from '@chat/contracts';

import { systemText } from './system-message';

const alice = { id: 'a', username: 'alice', displayName: 'Alice' };
const bob = { id: 'b', username: 'bob', displayName: 'Bob' };

function systemMessage(
  system: NonNullable<Message['system']>,
  sender = alice,
): Message & { system: typeof system } {
  return {
    id: 'm',
    roomId: 'r',
    seq: 3,
    senderId: sender.id,
    sender,
    body: '',
    clientMsgId: 'system:x',
    instanceId: 'api-1',
    createdAt: '2026-12-05T10:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    threadRootId: null,
    replyCount: 0,
    lastReplyAt: null,
    reactions: [],
    mentions: [],
    system,
  };
}

describe('systemText', () => {
  it('names the actor and the target with their handles', () => {
    const promoted = systemMessage({ kind: 'member_promoted', actorId: 'a', targetId: 'b', target: bob });
    expect(systemText(promoted, null)).toBe('Alice (@alice) made Bob (@bob) an admin');
  });

  it('speaks to the reader as "you"', () => {
    const removed = systemMessage({ kind: 'member_removed', actorId: 'a', targetId: 'b', target: bob });
    expect(systemText(removed, 'b')).toBe('Alice (@alice) removed you');
    expect(systemText(removed, 'a')).toBe('You removed Bob (@bob)');
  });

  it('shows a deleted account as "Deleted user", never its placeholder username', () => {
    const target = { id: 'b', username: 'deleted:0123', displayName: 'Deleted user', deleted: true as const };
    const handed = systemMessage(
      { kind: 'ownership_transferred', actorId: 'b', targetId: 'a', target: alice },
      target,
    );
    expect(systemText(handed, null)).toBe('Deleted user handed the room over to Alice (@alice)');
  });

  it('says what changed in the room', () => {
    expect(systemText(systemMessage({ kind: 'room_renamed', actorId: 'a', name: 'Ops' }), null)).toBe(
      'Alice (@alice) renamed the room to “Ops”',
    );
    expect(
      systemText(systemMessage({ kind: 'room_renamed', actorId: 'a', name: 'Ops', topic: 'On call' }), null),
    ).toBe('Alice (@alice) renamed the room to “Ops” and set the topic to “On call”');
    expect(systemText(systemMessage({ kind: 'topic_changed', actorId: 'a', topic: null }), null)).toBe(
      'Alice (@alice) cleared the topic',
    );
    expect(systemText(systemMessage({ kind: 'room_archived', actorId: 'a' }), null)).toContain('read-only');
  });
});
