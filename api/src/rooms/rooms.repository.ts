import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Limits, Member, MyRoom, NotifyLevel, Room } from '@chat/contracts';

import { escapeLike } from '../database/escape-like';
import { MESSAGE_COLUMNS, MessageRow, ROOM_COLUMNS, RoomRow, toMessage, toRoom } from '../database/rows';
import { RoomBanEntity } from './entities/room-ban.entity';
import { RoomEntity } from './entities/room.entity';

/** A room seen from one user: what it is, and their role in it (null: not a member). */
export interface RoomAccess {
  kind: Room['kind'];
  visibility: Room['visibility'];
  ownerId: string | null;
  role: Member['role'] | null;
  archived: boolean;
}

/**
 * Queries on `rooms` and `room_bans`. Simple reads go through the entities; the lists and the
 * room with its member count are SQL. Methods that may run inside a transaction take its manager.
 */
@Injectable()
export class RoomsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (db: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertGroup(
    db: EntityManager,
    room: { name: string; visibility: Room['visibility']; capacity: number | null; ownerId: string },
  ): Promise<string> {
    const [{ id }] = await db.query(
      `INSERT INTO rooms (name, kind, visibility, capacity, owner_id) VALUES ($1, 'group', $2, $3, $4) RETURNING id`,
      [room.name, room.visibility, room.capacity, room.ownerId],
    );
    return id;
  }

  /** Creates the direct room of a pair unless it exists; its id if this call created it. */
  async insertDirect(db: EntityManager, name: string, directKey: string): Promise<string | null> {
    const inserted: { id: string }[] = await db.query(
      `INSERT INTO rooms (name, kind, visibility, direct_key) VALUES ($1, 'direct', 'private', $2)
       ON CONFLICT (direct_key) DO NOTHING RETURNING id`,
      [name, directKey],
    );
    return inserted[0]?.id ?? null;
  }

  async findById(roomId: string, db: EntityManager = this.manager): Promise<Room | null> {
    const [row]: RoomRow[] = await db.query(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1`, [roomId]);
    return row ? toRoom(row) : null;
  }

  /**
   * What a socket that has just subscribed to the room needs, in one read: the room (its last seq
   * read after the subscription), whether the user is a member at that moment, and every member's id
   * (for who is online). Null for an unknown room.
   */
  async subscribedView(
    roomId: string,
    userId: string,
  ): Promise<{ room: Room; member: boolean; memberIds: string[] } | null> {
    const [row]: (RoomRow & { is_member: boolean; member_ids: string[] })[] = await this.manager.query(
      `SELECT ${ROOM_COLUMNS},
         EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = r.id AND m.user_id = $2) AS is_member,
         ARRAY(SELECT m.user_id FROM memberships m WHERE m.room_id = r.id) AS member_ids
       FROM rooms r WHERE r.id = $1`,
      [roomId, userId],
    );
    return row ? { room: toRoom(row), member: row.is_member, memberIds: row.member_ids } : null;
  }

  async findByDirectKey(directKey: string, db: EntityManager): Promise<Room> {
    const [row]: RoomRow[] = await db.query(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.direct_key = $1`, [
      directKey,
    ]);
    return toRoom(row);
  }

  /** The room row, locked until the transaction ends: serializes joins of one room (exact capacity). */
  lock(db: EntityManager, roomId: string): Promise<RoomEntity | null> {
    return db.findOne(RoomEntity, { where: { id: roomId }, lock: { mode: 'pessimistic_write' } });
  }

  findEntity(roomId: string): Promise<RoomEntity | null> {
    return this.manager.findOneBy(RoomEntity, { id: roomId });
  }

  /** Null for an unknown room. */
  async accessOf(roomId: string, userId: string): Promise<RoomAccess | null> {
    const [row]: {
      kind: Room['kind'];
      visibility: Room['visibility'];
      owner_id: string | null;
      role: Member['role'] | null;
      archived: boolean;
    }[] = await this.manager.query(
      `SELECT r.kind, r.visibility, r.owner_id, m.role, r.archived_at IS NOT NULL AS archived FROM rooms r
         LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = $2 WHERE r.id = $1`,
      [roomId, userId],
    );
    return row
      ? {
          kind: row.kind,
          visibility: row.visibility,
          ownerId: row.owner_id,
          role: row.role,
          archived: row.archived,
        }
      : null;
  }

  /** The user's rooms, most recently active first, with unread counts and the last message. */
  async listForMember(userId: string): Promise<MyRoom[]> {
    const rows: (RoomRow &
      LastMessageColumns &
      PeerColumns & {
        role: Member['role'];
        last_read_seq: string;
        unread_count: string;
        unread_mentions: string;
        notify: NotifyLevel;
      })[] = await this.manager.query(
      `SELECT ${ROOM_COLUMNS}, m.role, m.last_read_seq,
           (SELECT count(*) FROM messages x
             WHERE x.room_id = r.id AND x.seq > m.last_read_seq AND x.sender_id <> $1 AND x.deleted_at IS NULL
           ) AS unread_count,
           (SELECT count(*) FROM messages x
             WHERE x.room_id = r.id AND x.seq > m.last_read_seq AND x.sender_id <> $1 AND x.deleted_at IS NULL
               AND x.mentions @> ARRAY[$1::uuid]
           ) AS unread_mentions,
           coalesce(m.notify, CASE r.kind WHEN 'direct' THEN 'all' ELSE 'mentions' END) AS notify,
           to_jsonb(last) AS last_message,
           to_jsonb(peer) AS peer
         FROM memberships m
         JOIN rooms r ON r.id = m.room_id
         LEFT JOIN LATERAL (
           SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
           WHERE m.room_id = r.id ORDER BY m.seq DESC LIMIT 1
         ) last ON true
         LEFT JOIN LATERAL (
           SELECT u.id, u.username, u.display_name AS "displayName" FROM memberships pm JOIN users u ON u.id = pm.user_id
           WHERE r.kind = 'direct' AND pm.room_id = r.id AND pm.user_id <> $1 LIMIT 1
         ) peer ON true
         WHERE m.user_id = $1
         ORDER BY coalesce((to_jsonb(last) ->> 'created_at')::timestamptz, r.created_at) DESC`,
      [userId],
    );
    return rows.map((row) => ({
      ...toRoom(row),
      role: row.role,
      lastReadSeq: Number(row.last_read_seq),
      unreadCount: Number(row.unread_count),
      unreadMentions: Number(row.unread_mentions),
      notify: row.notify,
      lastMessage: row.last_message ? toMessage(revive(row.last_message)) : null,
      peer: row.peer,
    }));
  }

  async listPublic(search: string | undefined): Promise<Room[]> {
    const params: unknown[] = [];
    let filter = '';
    if (search) {
      params.push(`%${escapeLike(search.toLowerCase())}%`);
      filter = 'AND lower(r.name) LIKE $1';
    }
    const rows: RoomRow[] = await this.manager.query(
      `SELECT ${ROOM_COLUMNS} FROM rooms r
       WHERE r.visibility = 'public' AND r.kind = 'group' AND r.archived_at IS NULL ${filter}
       ORDER BY r.created_at DESC LIMIT ${Limits.LIST_PAGE_MAX}`,
      params,
    );
    return rows.map(toRoom);
  }

  /** Read-only from now on (the last member left). */
  async archive(db: EntityManager, roomId: string): Promise<void> {
    await db.query(`UPDATE rooms SET archived_at = now() WHERE id = $1 AND archived_at IS NULL`, [roomId]);
  }

  async isBanned(db: EntityManager, roomId: string, userId: string): Promise<boolean> {
    return db.existsBy(RoomBanEntity, { roomId, userId });
  }

  async ban(db: EntityManager, roomId: string, userId: string, bannedBy: string): Promise<void> {
    await db
      .createQueryBuilder()
      .insert()
      .into(RoomBanEntity)
      .values({ roomId, userId, bannedBy })
      .orIgnore()
      .execute();
  }

  async unban(roomId: string, userId: string, db: EntityManager = this.manager): Promise<void> {
    await db.delete(RoomBanEntity, { roomId, userId });
  }
}

interface LastMessageColumns {
  last_message:
    | (Omit<MessageRow, 'created_at' | 'edited_at' | 'deleted_at' | 'last_reply_at'> &
        Record<string, unknown>)
    | null;
}
interface PeerColumns {
  peer: MyRoom['peer'];
}

/** to_jsonb turns timestamps into strings; MessageRow wants Dates. */
function revive(json: NonNullable<LastMessageColumns['last_message']>): MessageRow {
  const date = (value: unknown) => (value ? new Date(value as string) : null);
  return {
    ...json,
    created_at: date(json.created_at)!,
    edited_at: date(json.edited_at),
    deleted_at: date(json.deleted_at),
    last_reply_at: date(json.last_reply_at),
  } as MessageRow;
}
