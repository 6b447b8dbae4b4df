import { Message, MyRoom } from '@chat/contracts';

/**
 * Pure updates of the room list, kept apart from the store so the unread arithmetic is tested alone.
 * Unread = messages of others after the user's read marker, as the server counts them.
 */

/** A live message: moves the room's last message and, unless the user is reading it, counts it unread. */
export function withIncomingMessage(
  rooms: readonly MyRoom[],
  message: Message,
  context: { myUserId: string; readingRoomId: string | null },
): MyRoom[] {
  return sortByActivity(
    rooms.map((room) => {
      if (room.id !== message.roomId || message.seq <= room.lastSeq) return room;
      const countsAsUnread =
        message.senderId !== context.myUserId &&
        message.seq > room.lastReadSeq &&
        context.readingRoomId !== room.id &&
        message.deletedAt === null;
      return {
        ...room,
        lastSeq: message.seq,
        lastMessage: message,
        unreadCount: room.unreadCount + (countsAsUnread ? 1 : 0),
      };
    }),
  );
}

/** An edit or deletion: the preview follows if it is the room's last message. */
export function withUpdatedMessage(rooms: readonly MyRoom[], message: Message): MyRoom[] {
  return rooms.map((room) =>
    room.lastMessage?.id === message.id ? { ...room, lastMessage: message } : room,
  );
}

/** The user read up to `seq`: everything up to it stops counting. */
export function withReadUpTo(rooms: readonly MyRoom[], roomId: string, seq: number): MyRoom[] {
  return rooms.map((room) => {
    if (room.id !== roomId || seq <= room.lastReadSeq) return room;
    const lastReadSeq = Math.min(seq, room.lastSeq);
    // Exact when everything is read; otherwise the count of messages between is unknown here, keep
    // the server's figure until the next list refresh.
    const allRead = lastReadSeq >= room.lastSeq;
    return {
      ...room,
      lastReadSeq,
      unreadCount: allRead ? 0 : room.unreadCount,
      unreadMentions: allRead ? 0 : room.unreadMentions,
    };
  });
}

/** A message mentioning the user arrived in a room they are not reading. */
export function withMention(rooms: readonly MyRoom[], roomId: string): MyRoom[] {
  return rooms.map((room) =>
    room.id === roomId ? { ...room, unreadMentions: room.unreadMentions + 1 } : room,
  );
}

export function sortByActivity(rooms: MyRoom[]): MyRoom[] {
  return rooms.sort((a, b) => activityOf(b).localeCompare(activityOf(a)));
}

function activityOf(room: MyRoom): string {
  return room.lastMessage?.createdAt ?? room.createdAt;
}

/** What a person calls the room: the other participant for a direct conversation. */
export function roomTitle(room: Pick<MyRoom, 'name' | 'kind' | 'peer'>): string {
  return room.kind === 'direct' && room.peer ? room.peer.displayName || room.peer.username : room.name;
}
