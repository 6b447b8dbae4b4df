import type { Message, Room, SystemMessage, UserRef } from '@chat/contracts';

/** Raw-SQL row shapes of the hot and list queries, and their mapping to the contract. */

export interface MessageRow {
  id: string;
  room_id: string;
  seq: string | number;
  sender_id: string;
  sender_username: string;
  sender_display_name: string;
  sender_is_bot?: boolean;
  sender_deleted?: boolean;
  body: string;
  client_msg_id: string;
  instance_id: string;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  thread_root_id: string | null;
  reply_count: number;
  last_reply_at: Date | null;
  mentions: string[];
  /** Only on system messages (absent from the send path's RETURNING). */
  system?: Omit<SystemMessage, 'target'> | null;
  system_target?: (Omit<UserRef, 'deleted'> & { deleted: boolean }) | null;
}

export interface RoomRow {
  id: string;
  name: string;
  kind: Room['kind'];
  visibility: Room['visibility'];
  capacity: number | null;
  owner_id: string | null;
  last_seq: string | number;
  member_count: string | number;
  created_at: Date;
  topic: string | null;
  archived_at: Date | null;
}

/** Columns of `messages m JOIN users u ON u.id = m.sender_id`, in MessageRow's names. */
export const MESSAGE_COLUMNS = `m.id, m.room_id, m.seq, m.sender_id, u.username AS sender_username,
  u.display_name AS sender_display_name, u.is_bot AS sender_is_bot, u.deleted_at IS NOT NULL AS sender_deleted,
  m.body, m.client_msg_id, m.instance_id, m.created_at, m.edited_at, m.deleted_at, m.thread_root_id, m.reply_count,
  m.last_reply_at, m.mentions, m.system,
  CASE WHEN m.system ->> 'targetId' IS NOT NULL THEN (
    SELECT jsonb_build_object('id', t.id, 'username', t.username, 'displayName', t.display_name, 'deleted', t.deleted_at IS NOT NULL)
    FROM users t WHERE t.id = (m.system ->> 'targetId')::uuid
  ) END AS system_target`;

/** Columns of `messages` alone, as INSERT/UPDATE … RETURNING gives them (no sender's name). */
export const MESSAGE_OWN_COLUMNS = `id, room_id, seq, sender_id, body, client_msg_id, instance_id, created_at,
  edited_at, deleted_at, thread_root_id, reply_count, last_reply_at, mentions`;

/** Columns of `rooms r`, in RoomRow's names. */
export const ROOM_COLUMNS = `r.id, r.name, r.kind, r.visibility, r.capacity, r.owner_id, r.last_seq, r.created_at,
  (SELECT count(*) FROM memberships c WHERE c.room_id = r.id) AS member_count, r.topic, r.archived_at`;

/**
 * The message as stored; its reactions (another table) and a reply's `threadRoot` (another row) are
 * added by MessagesService where they are needed.
 */
export const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  roomId: row.room_id,
  seq: Number(row.seq),
  senderId: row.sender_id,
  sender: {
    id: row.sender_id,
    username: row.sender_username,
    displayName: row.sender_display_name,
    ...(row.sender_is_bot && { isBot: true }),
    ...(row.sender_deleted && { deleted: true }),
  },
  body: row.body,
  clientMsgId: row.client_msg_id,
  instanceId: row.instance_id,
  createdAt: row.created_at.toISOString(),
  editedAt: row.edited_at?.toISOString() ?? null,
  deletedAt: row.deleted_at?.toISOString() ?? null,
  threadRootId: row.thread_root_id,
  replyCount: row.reply_count,
  lastReplyAt: row.last_reply_at?.toISOString() ?? null,
  reactions: [],
  mentions: row.mentions,
  ...(row.system && { system: toSystemMessage(row.system, row.system_target) }),
});

const toSystemMessage = (
  system: NonNullable<MessageRow['system']>,
  target: MessageRow['system_target'],
): SystemMessage => {
  if (!target) return system;
  const { deleted, ...ref } = target;
  return { ...system, target: { ...ref, ...(deleted && { deleted: true }) } };
};

export const toRoom = (row: RoomRow): Room => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  visibility: row.visibility,
  capacity: row.capacity,
  ownerId: row.owner_id,
  lastSeq: Number(row.last_seq),
  memberCount: Number(row.member_count),
  createdAt: row.created_at.toISOString(),
  topic: row.topic,
  archivedAt: row.archived_at?.toISOString() ?? null,
});
