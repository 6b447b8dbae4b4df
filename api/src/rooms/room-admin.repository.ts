import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import type { MemberRole, SystemMessage } from '@chat/contracts';

import { MESSAGE_COLUMNS, MessageRow } from '../database/rows';

/** What a system message stores; `target` is resolved when it is read (a deleted account shows as such). */
export type SystemEvent = Omit<SystemMessage, 'target'>;

/**
 * The writes of room administration. Every method runs in the caller's transaction, which holds the
 * room's row lock (RoomsRepository.lock): the same lock the send path takes to number messages, so a
 * system message gets the next seq and an archive cannot interleave with a send.
 */
@Injectable()
export class RoomAdminRepository {
  async update(db: EntityManager, roomId: string, change: { name?: string; topic?: string | null }) {
    await db.query(
      `UPDATE rooms SET name = coalesce($2, name), topic = CASE WHEN $3 THEN $4 ELSE topic END WHERE id = $1`,
      [roomId, change.name ?? null, change.topic !== undefined, change.topic ?? null],
    );
  }

  async setRole(db: EntityManager, roomId: string, userId: string, role: MemberRole): Promise<void> {
    await db.query(`UPDATE memberships SET role = $3 WHERE room_id = $1 AND user_id = $2`, [
      roomId,
      userId,
      role,
    ]);
  }

  async setOwner(db: EntityManager, roomId: string, ownerId: string): Promise<void> {
    await db.query(`UPDATE rooms SET owner_id = $2 WHERE id = $1`, [roomId, ownerId]);
  }

  async setArchived(db: EntityManager, roomId: string, archived: boolean): Promise<void> {
    await db.query(`UPDATE rooms SET archived_at = CASE WHEN $2 THEN now() END WHERE id = $1`, [
      roomId,
      archived,
    ]);
  }

  /**
   * Messages, memberships, bans, webhooks and attachments go with it (ON DELETE CASCADE); deleting an
   * attachment row queues its stored bytes for AttachmentCollector (a trigger, in this transaction).
   */
  async delete(db: EntityManager, roomId: string): Promise<void> {
    await db.query(`DELETE FROM rooms WHERE id = $1`, [roomId]);
  }

  /** Bumps the room's last_seq and stores the system message with it, as the actor; the row as history reads it. */
  async appendSystemMessage(
    db: EntityManager,
    roomId: string,
    event: SystemEvent,
    instanceId: string,
  ): Promise<MessageRow> {
    const [row]: MessageRow[] = await db.query(
      `WITH room AS (UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq),
       inserted AS (
         INSERT INTO messages (room_id, seq, sender_id, body, client_msg_id, instance_id, system)
         SELECT $1, room.last_seq, $2, '', $3, $4, $5::jsonb FROM room
         RETURNING *
       )
       SELECT ${MESSAGE_COLUMNS} FROM inserted m JOIN users u ON u.id = m.sender_id`,
      [roomId, event.actorId, `system:${randomUUID()}`, instanceId, JSON.stringify(event)],
    );
    return row;
  }

  /**
   * Who takes over a room from `userId`: the longest-standing admin, else the longest-standing member;
   * never a bot or a deleted account. Null when nobody is left.
   */
  async successor(db: EntityManager, roomId: string, userId: string): Promise<string | null> {
    const [row]: { user_id: string }[] = await db.query(
      `SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.room_id = $1 AND m.user_id <> $2 AND NOT u.is_bot AND u.deleted_at IS NULL
       ORDER BY (m.role = 'admin') DESC, m.joined_at, m.user_id LIMIT 1`,
      [roomId, userId],
    );
    return row?.user_id ?? null;
  }

  /** The user's rooms by kind: group rooms they own, other group rooms, direct rooms. */
  async roomsOf(
    db: EntityManager,
    userId: string,
  ): Promise<{ owned: string[]; group: string[]; direct: string[] }> {
    const rows: { id: string; kind: string; owned: boolean }[] = await db.query(
      `SELECT r.id, r.kind, r.owner_id = $1 AS owned FROM memberships m JOIN rooms r ON r.id = m.room_id
       WHERE m.user_id = $1 ORDER BY r.id`,
      [userId],
    );
    const ids = (test: (row: (typeof rows)[number]) => boolean) => rows.filter(test).map((row) => row.id);
    return {
      owned: ids((row) => row.kind === 'group' && row.owned),
      group: ids((row) => row.kind === 'group'),
      direct: ids((row) => row.kind === 'direct'),
    };
  }

  /** Every member's id, read under the room's lock before the room is deleted. */
  async memberIds(db: EntityManager, roomId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await db.query(`SELECT user_id FROM memberships WHERE room_id = $1`, [
      roomId,
    ]);
    return rows.map((row) => row.user_id);
  }

  async removeMemberships(db: EntityManager, userId: string, roomIds: string[]): Promise<void> {
    if (roomIds.length === 0) return;
    await db.query(`DELETE FROM memberships WHERE user_id = $1 AND room_id = ANY($2::uuid[])`, [
      userId,
      roomIds,
    ]);
  }
}
