import { Message, MessagePage } from '@chat/contracts';

/** A complete message of a room; only `seq` (and the room) matter to ordering logic. */
export function messageAt(seq: number, roomId = 'room-1'): Message {
  return {
    id: `${roomId}-m${seq}`,
    roomId,
    seq,
    senderId: 'user-1',
    sender: { id: 'user-1', username: 'alice', displayName: 'Alice' },
    body: `message ${seq}`,
    clientMsgId: `client-${seq}`,
    instanceId: 'api-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    threadRootId: null,
    replyCount: 0,
    lastReplyAt: null,
    reactions: [],
    mentions: [],
  };
}

export function pageOf(seqs: number[], hasMore = false, roomId = 'room-1'): MessagePage {
  return { messages: seqs.map((seq) => messageAt(seq, roomId)), hasMore };
}
