import { Message, MyRoom, NotifyLevel } from '@chat/contracts';

import { roomTitle } from '../rooms/room-summaries';

/** Why a message may deserve a notification: it mentions the user, it is a direct message, or it is just new. */
export type NotifyReason = 'mention' | 'direct' | 'message';

export interface NotificationText {
  title: string;
  body: string;
  /** One notification per message, whichever reasons it came for. */
  tag: string;
}

const BODY_MAX = 140;

/**
 * Whether a message raises a browser notification, and what it says. Only while the tab is hidden
 * (a visible tab shows the message itself), never for the user's own messages or deleted ones, and
 * as the room's preference says: `none` mutes, `mentions` lets mentions and direct messages through,
 * `all` every message.
 */
export function notificationFor(input: {
  message: Message;
  reason: NotifyReason;
  room: Pick<MyRoom, 'name' | 'kind' | 'peer'> & { notify: NotifyLevel };
  myUserId: string;
  tabHidden: boolean;
}): NotificationText | null {
  const { message, reason, room } = input;
  if (!input.tabHidden || message.senderId === input.myUserId || message.deletedAt) return null;
  if (room.notify === 'none' || (room.notify === 'mentions' && reason === 'message')) return null;
  const sender = message.sender.displayName || message.sender.username;
  const where = room.kind === 'direct' ? '' : ` in ${roomTitle(room)}`;
  const title =
    reason === 'mention'
      ? `${sender} mentioned you${where}`
      : room.kind === 'direct'
        ? sender
        : `${sender}${where}`;
  const body = message.body.length > BODY_MAX ? `${message.body.slice(0, BODY_MAX - 1)}…` : message.body;
  return { title, body, tag: message.id };
}

/** The level a room has when not muted: everything in a direct conversation, mentions in a group. */
export function defaultNotifyLevel(kind: MyRoom['kind']): NotifyLevel {
  return kind === 'direct' ? 'all' : 'mentions';
}
