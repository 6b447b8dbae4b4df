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
};

export type RoomKind = 'group' | 'direct';
export type RoomVisibility = 'public' | 'private';
export type MemberRole = 'owner' | 'member';

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
  /** Files sent with the message, in the order given; absent when there are none (and once deleted). */
  attachments?: Attachment[];
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

export interface Member {
  user: UserRef;
  role: MemberRole;
  lastReadSeq: number;
  joinedAt: string;
  online: boolean;
}
