import { Message, MyRoom } from '@chat/contracts';

const ALICE = { id: 'alice', username: 'alice', displayName: 'Alice' };
const BOB = { id: 'bob', username: 'bob', displayName: 'Bob' };
export const USERS = { alice: ALICE, bob: BOB };

export function message(seq: number, changes: Partial<Message> = {}): Message {
  const sender = changes.sender ?? BOB;
  return {
    id: `m${seq}`,
    roomId: 'room-1',
    seq,
    senderId: sender.id,
    sender,
    body: `message ${seq}`,
    clientMsgId: `c${seq}`,
    instanceId: 'api-1',
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    threadRootId: null,
    replyCount: 0,
    lastReplyAt: null,
    reactions: [],
    mentions: [],
    ...changes,
  };
}

export function myRoom(id: string, changes: Partial<MyRoom> = {}): MyRoom {
  return {
    id,
    name: id,
    kind: 'group',
    visibility: 'public',
    capacity: null,
    ownerId: 'alice',
    lastSeq: 0,
    memberCount: 2,
    createdAt: '2026-01-01T00:00:00.000Z',
    topic: null,
    archivedAt: null,
    role: 'member',
    lastReadSeq: 0,
    unreadCount: 0,
    lastMessage: null,
    peer: null,
    unreadMentions: 0,
    notify: 'mentions',
    ...changes,
  };
}
