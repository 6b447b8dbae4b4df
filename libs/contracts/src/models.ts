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
