import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { ErrorCode, Limits, Member, MemberPage, MembersQuery, MyRoom, Room } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { escapeLike } from '../database/escape-like';
import { MESSAGE_COLUMNS, MessageRow, ROOM_COLUMNS, RoomRow, toMessage, toRoom } from '../database/rows';
import { PresenceService } from '../presence/presence.service';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { CreateRoomDto } from './dto/create-room.dto';

interface AccessRow {
  kind: Room['kind'];
  visibility: Room['visibility'];
  role: Member['role'] | null;
}

/** Rooms, memberships and who may see what. Every rule about room access lives here. */
@Injectable()
export class RoomsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly presence: PresenceService,
    private readonly broadcaster: RealtimeBroadcaster,
  ) {}

  create(ownerId: string, dto: CreateRoomDto): Promise<Room> {
    return this.dataSource.transaction(async (manager) => {
      const [{ id }] = await manager.query(
        `INSERT INTO rooms (name, kind, visibility, capacity, owner_id) VALUES ($1, 'group', $2, $3, $4) RETURNING id`,
        [dto.name.trim(), dto.visibility, dto.capacity ?? null, ownerId],
      );
      await manager.query(`INSERT INTO memberships (room_id, user_id, role) VALUES ($1, $2, 'owner')`, [
        id,
        ownerId,
      ]);
      return this.getRoom(id, manager);
    });
  }

  async getRoom(roomId: string, manager: EntityManager = this.dataSource.manager): Promise<Room> {
    const [row] = await manager.query(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1`, [roomId]);
    if (!row) throw AppError.notFound('Room');
    return toRoom(row);
  }

  /** The caller's rooms, most recently active first, with unread counts and the last message. */
  async myRooms(userId: string): Promise<MyRoom[]> {
    const rows: (RoomRow &
      LastMessageColumns &
      PeerColumns & { role: Member['role']; last_read_seq: string; unread_count: string })[] =
      await this.dataSource.query(
        `SELECT ${ROOM_COLUMNS}, m.role, m.last_read_seq,
           (SELECT count(*) FROM messages x
             WHERE x.room_id = r.id AND x.seq > m.last_read_seq AND x.sender_id <> $1 AND x.deleted_at IS NULL
           ) AS unread_count,
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
      lastMessage: row.last_message ? toMessage(revive(row.last_message)) : null,
      peer: row.peer,
    }));
  }

  async publicRooms(search: string | undefined): Promise<Room[]> {
    const params: unknown[] = [];
    let filter = '';
    if (search) {
      params.push(`%${escapeLike(search.toLowerCase())}%`);
      filter = 'AND lower(r.name) LIKE $1';
    }
    const rows: RoomRow[] = await this.dataSource.query(
      `SELECT ${ROOM_COLUMNS} FROM rooms r
       WHERE r.visibility = 'public' AND r.kind = 'group' ${filter}
       ORDER BY r.created_at DESC LIMIT ${Limits.LIST_PAGE_MAX}`,
      params,
    );
    return rows.map(toRoom);
  }

  /** Joins a public group room (idempotent). Private and direct rooms only take members added by their owner. */
  join(userId: string, roomId: string): Promise<Room> {
    return this.dataSource.transaction(async (manager) => {
      const room = await this.lockRoom(manager, roomId);
      if (await this.roleOf(manager, roomId, userId)) return this.getRoom(roomId, manager);
      if (room.kind !== 'group' || room.visibility !== 'public') {
        throw AppError.forbidden('This room is private: ask its owner to add you');
      }
      if (await this.isBanned(manager, roomId, userId))
        throw AppError.forbidden('You are banned from this room');
      await this.insertMember(manager, room, userId);
      return this.getRoom(roomId, manager);
    });
  }

  async leave(userId: string, roomId: string): Promise<void> {
    const access = await this.access(roomId, userId);
    if (access.kind === 'direct') throw AppError.forbidden('Direct conversations cannot be left');
    await this.dataSource.query('DELETE FROM memberships WHERE room_id = $1 AND user_id = $2', [
      roomId,
      userId,
    ]);
    this.broadcaster.unsubscribeUser(userId, roomId);
  }

  /** The owner adds someone to their group room (the way into a private room). Idempotent. */
  async addMember(callerId: string, roomId: string, userId: string): Promise<Member> {
    const { member, added } = await this.dataSource.transaction(async (manager) => {
      const room = await this.lockRoom(manager, roomId);
      if (room.kind !== 'group' || room.owner_id !== callerId) {
        throw AppError.forbidden('Only the room owner can add members');
      }
      const [user] = await manager.query('SELECT 1 FROM users WHERE id = $1', [userId]);
      if (!user) throw AppError.notFound('User');
      if (await this.isBanned(manager, roomId, userId)) {
        throw AppError.forbidden('This user is banned from the room: lift the ban first');
      }
      const isNew = !(await this.roleOf(manager, roomId, userId));
      if (isNew) await this.insertMember(manager, room, userId);
      return { member: (await this.memberRows(manager, roomId, { onlyUserId: userId }))[0], added: isNew };
    });
    // After the commit: a client that reacts by listing its rooms must find this one.
    if (added) this.broadcaster.toUser(userId, 'room:added', { room: await this.getRoom(roomId) });
    return member;
  }

  /**
   * One page of a room's members, by user id: the primary key's order, so each page is an index
   * range however large the room is.
   */
  async members(callerId: string, roomId: string, query: MembersQuery = {}): Promise<MemberPage> {
    await this.assertMember(roomId, callerId);
    const limit = query.limit ?? Limits.MEMBERS_PAGE_DEFAULT;
    // One row more than asked tells whether another page exists.
    const rows = await this.memberRows(this.dataSource.manager, roomId, {
      after: query.after,
      limit: limit + 1,
    });
    const members = rows.slice(0, limit);
    return { members, nextCursor: rows.length > limit ? members[members.length - 1].user.id : null };
  }

  /** The one direct room of two users, created on first ask; the same room whoever asks. */
  async direct(callerId: string, userId: string): Promise<Room> {
    if (callerId === userId)
      throw AppError.validation({ userId: ['Cannot start a conversation with yourself'] });
    const directKey = [callerId, userId].sort().join(':');
    const { room, created } = await this.dataSource.transaction(async (manager) => {
      const users: { id: string; username: string }[] = await manager.query(
        'SELECT id, username FROM users WHERE id = ANY($1::uuid[]) ORDER BY username',
        [[callerId, userId]],
      );
      if (users.length !== 2) throw AppError.notFound('User');
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO rooms (name, kind, visibility, direct_key) VALUES ($1, 'direct', 'private', $2)
         ON CONFLICT (direct_key) DO NOTHING RETURNING id`,
        [users.map((user) => user.username).join(' & '), directKey],
      );
      if (inserted.length > 0) {
        await manager.query(
          `INSERT INTO memberships (room_id, user_id, role) VALUES ($1, $2, 'member'), ($1, $3, 'member')`,
          [inserted[0].id, callerId, userId],
        );
      }
      const [row] = await manager.query(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.direct_key = $1`, [
        directKey,
      ]);
      return { room: toRoom(row), created: inserted.length > 0 };
    });
    if (created) this.broadcaster.toUser(userId, 'room:added', { room });
    return room;
  }

  /**
   * The owner bans someone from their group room: the membership goes, the ban keeps them from
   * joining again, and every socket of theirs, on every instance, stops receiving the room's events
   * and is told so. Idempotent.
   */
  async ban(callerId: string, roomId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const room = await this.lockRoom(manager, roomId);
      if (room.kind !== 'group' || room.owner_id !== callerId) {
        throw AppError.forbidden('Only the room owner can ban members');
      }
      if (userId === callerId) throw AppError.validation({ userId: ['The owner cannot ban themselves'] });
      const [user] = await manager.query('SELECT 1 FROM users WHERE id = $1', [userId]);
      if (!user) throw AppError.notFound('User');
      await manager.query('DELETE FROM memberships WHERE room_id = $1 AND user_id = $2', [roomId, userId]);
      await manager.query(
        `INSERT INTO room_bans (room_id, user_id, banned_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [roomId, userId, callerId],
      );
    });
    this.broadcaster.unsubscribeUser(userId, roomId);
    this.broadcaster.toUser(userId, 'room:removed', { roomId, reason: 'banned' });
  }

  /** The owner lifts a ban; the user may join (public) or be added (private) again. Idempotent. */
  async unban(callerId: string, roomId: string, userId: string): Promise<void> {
    const [room]: RoomRow[] = await this.dataSource.query('SELECT * FROM rooms WHERE id = $1', [roomId]);
    if (!room) throw AppError.notFound('Room');
    if (room.kind !== 'group' || room.owner_id !== callerId) {
      throw AppError.forbidden('Only the room owner can lift bans');
    }
    await this.dataSource.query('DELETE FROM room_bans WHERE room_id = $1 AND user_id = $2', [
      roomId,
      userId,
    ]);
  }

  /** Of these rooms, the ones the user is a member of (to re-check subscriptions a session brings back). */
  async memberOfAmong(userId: string, roomIds: string[]): Promise<Set<string>> {
    if (roomIds.length === 0) return new Set();
    const rows: { room_id: string }[] = await this.dataSource.query(
      'SELECT room_id FROM memberships WHERE user_id = $1 AND room_id = ANY($2::uuid[])',
      [userId, roomIds],
    );
    return new Set(rows.map((row) => row.room_id));
  }

  /**
   * Authorizes a socket's subscription to a room's live events: members of any room, and anyone
   * for a public group room (which makes them a member, as the REST join does).
   */
  async subscribe(userId: string, roomId: string): Promise<void> {
    const access = await this.access(roomId, userId, { allowNonMember: true });
    if (!access.role) await this.join(userId, roomId);
  }

  /** Throws NOT_FOUND for an unknown room and FORBIDDEN for a non-member. */
  async assertMember(roomId: string, userId: string): Promise<void> {
    await this.access(roomId, userId);
  }

  async memberIds(roomId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await this.dataSource.query(
      'SELECT user_id FROM memberships WHERE room_id = $1',
      [roomId],
    );
    return rows.map((row) => row.user_id);
  }

  private async access(
    roomId: string,
    userId: string,
    options: { allowNonMember?: boolean } = {},
  ): Promise<AccessRow> {
    const [row]: AccessRow[] = await this.dataSource.query(
      `SELECT r.kind, r.visibility, m.role FROM rooms r
       LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = $2 WHERE r.id = $1`,
      [roomId, userId],
    );
    if (!row) throw AppError.notFound('Room');
    if (!row.role && !options.allowNonMember) throw AppError.forbidden('You are not a member of this room');
    return row;
  }

  private async lockRoom(manager: EntityManager, roomId: string): Promise<RoomRow> {
    // FOR UPDATE serializes joins of one room, which is what makes the capacity check exact.
    const [room]: RoomRow[] = await manager.query(`SELECT * FROM rooms WHERE id = $1 FOR UPDATE`, [roomId]);
    if (!room) throw AppError.notFound('Room');
    return room;
  }

  private async isBanned(manager: EntityManager, roomId: string, userId: string): Promise<boolean> {
    const [row] = await manager.query('SELECT 1 FROM room_bans WHERE room_id = $1 AND user_id = $2', [
      roomId,
      userId,
    ]);
    return Boolean(row);
  }

  private async roleOf(manager: EntityManager, roomId: string, userId: string): Promise<string | null> {
    const [row] = await manager.query('SELECT role FROM memberships WHERE room_id = $1 AND user_id = $2', [
      roomId,
      userId,
    ]);
    return row?.role ?? null;
  }

  private async insertMember(manager: EntityManager, room: RoomRow, userId: string): Promise<void> {
    if (room.capacity !== null) {
      const [{ count }] = await manager.query(
        'SELECT count(*)::int AS count FROM memberships WHERE room_id = $1',
        [room.id],
      );
      if (count >= room.capacity) throw new AppError(ErrorCode.ROOM_FULL, 'This room is full');
    }
    await manager.query(`INSERT INTO memberships (room_id, user_id, role) VALUES ($1, $2, 'member')`, [
      room.id,
      userId,
    ]);
  }

  private async memberRows(
    manager: EntityManager,
    roomId: string,
    which: { onlyUserId?: string; after?: string; limit?: number } = {},
  ): Promise<Member[]> {
    const rows: {
      id: string;
      username: string;
      display_name: string;
      role: Member['role'];
      last_read_seq: string;
      joined_at: Date;
    }[] = await manager.query(
      `SELECT u.id, u.username, u.display_name, m.role, m.last_read_seq, m.joined_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.room_id = $1 AND ($2::uuid IS NULL OR m.user_id = $2) AND ($3::uuid IS NULL OR m.user_id > $3)
         ORDER BY m.user_id
         LIMIT $4`,
      [roomId, which.onlyUserId ?? null, which.after ?? null, which.limit ?? null],
    );
    const online = await this.presence.onlineAmong(rows.map((row) => row.id));
    return rows.map((row) => ({
      user: { id: row.id, username: row.username, displayName: row.display_name },
      role: row.role,
      lastReadSeq: Number(row.last_read_seq),
      joinedAt: row.joined_at.toISOString(),
      online: online.has(row.id),
    }));
  }
}

interface LastMessageColumns {
  last_message:
    (Omit<MessageRow, 'created_at' | 'edited_at' | 'deleted_at'> & Record<string, unknown>) | null;
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
  } as MessageRow;
}
