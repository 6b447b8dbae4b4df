/** Shapes of the resources the REST API and the socket events carry. Dates are ISO-8601 strings. */

export interface User {
  id: string;
  username: string;
  displayName: string;
  createdAt: string;
}

/** The subset of a user embedded in messages and member lists. */
export type UserRef = Pick<User, 'id' | 'username' | 'displayName'> & {
  /** Present (true) only for bot accounts, so their messages can be shown as such. */
  isBot?: true;
  /**
   * Present (true) only for a deleted account: its messages stay, attributed to it, with the name
   * "Deleted user" and a username that is not a handle anyone can sign in with.
   */
  deleted?: true;
};

export type RoomKind = 'group' | 'direct';
export type RoomVisibility = 'public' | 'private';
/**
 * `owner` (one per group room): everything an admin can do, plus promote/demote admins, hand the room
 * over, archive and delete it. `admin`: rename, set the topic, add, remove and ban members (never the
 * owner nor another admin). Direct rooms have no owner and no admins.
 */
export type MemberRole = 'owner' | 'admin' | 'member';
/**
 * When a member wants to be notified of a room's messages: `all` of them, only `mentions` of them
 * (and direct messages), or `none`. Stored per member and room; the default is `mentions` for group
 * rooms and `all` for direct conversations. The server sends the same events whatever it is set to:
 * clients decide from it whether to raise a notification.
 */
export type NotifyLevel = 'all' | 'mentions' | 'none';

export interface Room {
  id: string;
  name: string;
  kind: RoomKind;
  visibility: RoomVisibility;
  /** Maximum number of members, or null for unlimited. */
  capacity: number | null;
  ownerId: string | null;
  /** Seq of the newest message; 0 for an empty room. */
  lastSeq: number;
  memberCount: number;
  createdAt: string;
  /** Set by the owner or an admin; null when none. */
  topic: string | null;
  /** Set while the room is archived (read-only: every write is refused with ROOM_ARCHIVED). */
  archivedAt: string | null;
}

/** A room as seen by one of its members. */
export interface MyRoom extends Room {
  role: MemberRole;
  lastReadSeq: number;
  unreadCount: number;
  lastMessage: Message | null;
  /** For direct rooms: the other participant. */
  peer: UserRef | null;
  /** Unread messages (seq > lastReadSeq, not deleted, not yours) that mention you. */
  unreadMentions: number;
  /** Your notification preference for this room (the default when you never set one). */
  notify: NotifyLevel;
}

/** One emoji on one message. */
export interface Reaction {
  /** One emoji (a single grapheme), as sent by `reaction:add`. */
  emoji: string;
  /** Exact number of users who reacted with it. */
  count: number;
  /**
   * Who reacted, earliest first, at most Limits.REACTION_USERS_MAX of them (count stays exact). In
   * history (GET …/messages) the caller's own id is always among them when the caller reacted.
   */
  userIds: string[];
}

/** A thread root's counters. */
export interface ThreadSummary {
  /** Replies in the thread, deleted ones included (a deleted reply keeps its place, like any message). */
  replyCount: number;
  /** createdAt of the newest reply; null without replies. */
  lastReplyAt: string | null;
}

export interface Message {
  id: string;
  roomId: string;
  /** 1, 2, 3… per room: contiguous, never reused. */
  seq: number;
  senderId: string;
  sender: UserRef;
  /** Empty once deleted. */
  body: string;
  clientMsgId: string;
  /** The API instance that accepted the message. */
  instanceId: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  /** Files sent with the message, in the order given; absent when there are none (and once deleted). */
  attachments?: Attachment[];
  /** The root this message replies to (a top-level message of the same room); null for a top-level message. */
  threadRootId: string | null;
  /** Replies to this message; always 0 on a reply (threads are one level deep). */
  replyCount: number;
  /** createdAt of the newest reply to this message; null without replies. */
  lastReplyAt: string | null;
  /**
   * On a reply only: its root's counters, including this reply. This is how a root's update is
   * announced — there is no separate `message:updated` of the root: apply it to the root when its
   * `replyCount` is greater than the one you hold (counts only grow, so events that arrive out of
   * order never roll it back). History fills it with the root's current counters.
   */
  threadRoot?: ThreadSummary;
  /** Reactions, by the emoji's first use. Ignore for a deleted message (its reactions are kept but not shown). */
  reactions: Reaction[];
  /**
   * Ids of the room members the body mentions (`@username`, resolved when the message is sent or
   * edited; names of non-members, and mentions inside `code`, are not mentions).
   */
  mentions: string[];
  /**
   * Present only on a system message: a change to the room, written by the server in the room's
   * timeline (it takes the next seq like any message). Its `sender` is the actor and its body is
   * empty; it cannot be edited or deleted, and is not sent to webhooks.
   */
  system?: SystemMessage;
}

export type SystemMessageKind =
  | 'room_renamed'
  | 'topic_changed'
  | 'member_promoted'
  | 'member_demoted'
  | 'ownership_transferred'
  | 'member_removed'
  | 'member_banned'
  | 'room_archived'
  | 'room_unarchived';

/** Who did what to the room. */
export interface SystemMessage {
  kind: SystemMessageKind;
  /** Who did it (also the message's sender). */
  actorId: string;
  /** Whom it was done to: promoted, demoted, the new owner, removed, banned. */
  targetId?: string;
  /** The target as it is now (a deleted account shows as such), for display. */
  target?: UserRef;
  /** `room_renamed`: the new name. */
  name?: string;
  /** `topic_changed`: the new topic, null when cleared. */
  topic?: string | null;
}

export interface Member {
  user: UserRef;
  role: MemberRole;
  lastReadSeq: number;
  joinedAt: string;
  online: boolean;
}

/**
 * A file uploaded to a room (`POST /api/rooms/:id/attachments`), then sent with one message.
 * Downloaded from `GET /api/attachments/:id` (and `/thumbnail` for images) by current members only.
 */
export interface Attachment {
  id: string;
  /** The uploader's file name, without any path and control characters. */
  name: string;
  /** Bytes, as served (an image's metadata is stripped before it is stored). */
  size: number;
  /** Sniffed from the bytes, never taken from the client; `application/octet-stream` when unknown. */
  contentType: string;
  /** Images only (they also have a thumbnail): pixels, after EXIF orientation. */
  width?: number;
  height?: number;
}
