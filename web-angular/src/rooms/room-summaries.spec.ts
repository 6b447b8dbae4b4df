import { message, myRoom } from '../testing/messages';
import { roomTitle, withIncomingMessage, withReadUpTo, withUpdatedMessage } from './room-summaries';

const context = { myUserId: 'alice', readingRoomId: null };

describe('room summaries', () => {
  it('counts messages of others as unread and moves the room to the top', () => {
    const rooms = [myRoom('quiet', { createdAt: '2025-12-31T00:00:00.000Z' }), myRoom('room-1')];
    const next = withIncomingMessage(rooms, message(1), context);
    expect(next.map((room) => room.id)).toEqual(['room-1', 'quiet']);
    expect(next[0]).toMatchObject({ unreadCount: 1, lastSeq: 1, lastMessage: { id: 'm1' } });
  });

  it('does not count own messages, the room being read, or a message seen twice', () => {
    const rooms = [myRoom('room-1')];
    const own = message(1, { senderId: 'alice' });
    expect(withIncomingMessage(rooms, own, context)[0].unreadCount).toBe(0);
    expect(
      withIncomingMessage(rooms, message(1), { ...context, readingRoomId: 'room-1' })[0].unreadCount,
    ).toBe(0);

    const once = withIncomingMessage(rooms, message(1), context);
    // The same message again (catch-up after reconnect overlapping live delivery).
    expect(withIncomingMessage(once, message(1), context)[0].unreadCount).toBe(1);
  });

  it('does not count messages at or below the read marker (a list refreshed from the server)', () => {
    const rooms = [myRoom('room-1', { lastSeq: 3, lastReadSeq: 3 })];
    expect(withIncomingMessage(rooms, message(3), context)[0].unreadCount).toBe(0);
  });

  it('clears the count when read to the end, and keeps the server figure when read part-way', () => {
    const rooms = [myRoom('room-1', { lastSeq: 5, unreadCount: 4, lastReadSeq: 1 })];
    expect(withReadUpTo(rooms, 'room-1', 5)[0]).toMatchObject({ unreadCount: 0, lastReadSeq: 5 });
    expect(withReadUpTo(rooms, 'room-1', 3)[0]).toMatchObject({ unreadCount: 4, lastReadSeq: 3 });
    // Never backwards.
    expect(withReadUpTo(rooms, 'room-1', 0)[0].lastReadSeq).toBe(1);
  });

  it('follows edits of the last message in the preview', () => {
    const rooms = [myRoom('room-1', { lastMessage: message(2) })];
    const edited = message(2, { body: 'edited', editedAt: '2026-01-01T13:00:00.000Z' });
    expect(withUpdatedMessage(rooms, edited)[0].lastMessage?.body).toBe('edited');
    expect(withUpdatedMessage(rooms, message(1, { body: 'older' }))).toEqual(rooms);
  });

  it('names a direct room after the other person', () => {
    const peer = { id: 'bob', username: 'bob', displayName: 'Bob B.' };
    expect(roomTitle(myRoom('d', { kind: 'direct', name: 'alice & bob', peer }))).toBe('Bob B.');
    expect(roomTitle(myRoom('g', { name: 'General' }))).toBe('General');
  });
});
