import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';

import { Member, NotifyLevel } from '@chat/contracts';

import { MembershipEntity } from './entities/membership.entity';

/** A member as stored: the user, their role and read marker; presence is added by the service. */
export type StoredMember = Omit<Member, 'online'>;

/** Queries on `memberships`. Methods that may run inside a transaction take its manager. */
@Injectable()
export class MembershipsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async add(db: EntityManager, roomId: string, userId: string, role: Member['role']): Promise<void> {
    await db.insert(MembershipEntity, { roomId, userId, role });
  }

  async remove(roomId: string, userId: string, db: EntityManager = this.manager): Promise<void> {
    await db.delete(MembershipEntity, { roomId, userId });
  }

  async roleOf(db: EntityManager, roomId: string, userId: string): Promise<Member['role'] | null> {
    const membership = await db.findOne(MembershipEntity, {
      select: { role: true },
      where: { roomId, userId },
    });
    return membership?.role ?? null;
  }

  count(db: EntityManager, roomId: string): Promise<number> {
    return db.countBy(MembershipEntity, { roomId });
  }

  /**
   * Members by user id (the primary key's order, so a page is an index range however large the
   * room): those after `after`, at most `limit`, or only `onlyUserId`.
   */
  async list(
    db: EntityManager,
    roomId: string,
    which: { onlyUserId?: string; after?: string; limit?: number } = {},
  ): Promise<StoredMember[]> {
    const rows: {
      id: string;
      username: string;
      display_name: string;
      role: Member['role'];
      last_read_seq: string;
      joined_at: Date;
    }[] = await db.query(
      `SELECT u.id, u.username, u.display_name, m.role, m.last_read_seq, m.joined_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.room_id = $1 AND ($2::uuid IS NULL OR m.user_id = $2) AND ($3::uuid IS NULL OR m.user_id > $3)
         ORDER BY m.user_id
         LIMIT $4`,
      [roomId, which.onlyUserId ?? null, which.after ?? null, which.limit ?? null],
    );
    return rows.map((row) => ({
      user: { id: row.id, username: row.username, displayName: row.display_name },
      role: row.role,
      lastReadSeq: Number(row.last_read_seq),
      joinedAt: row.joined_at.toISOString(),
    }));
  }

  /** The rooms of each of these users, in their order. */
  async roomIdsOfUsers(userIds: readonly string[]): Promise<string[][]> {
    const rows: { user_id: string; room_ids: string[] }[] = await this.manager.query(
      `SELECT user_id, array_agg(room_id) AS room_ids FROM memberships
       WHERE user_id = ANY($1::uuid[]) GROUP BY user_id`,
      [userIds],
    );
    const byUser = new Map(rows.map((row) => [row.user_id, row.room_ids]));
    return userIds.map((userId) => byUser.get(userId) ?? []);
  }

  /** Of these rooms, the ones the user is a member of. */
  async roomIdsAmong(userId: string, roomIds: string[]): Promise<Set<string>> {
    if (roomIds.length === 0) return new Set();
    const rows = await this.manager.find(MembershipEntity, {
      select: { roomId: true },
      where: { userId, roomId: In(roomIds) },
    });
    return new Set(rows.map((row) => row.roomId));
  }

  /** Moves the read marker forward, never back and never past the room's last seq; null if it did not move. */
  async advanceReadMarker(roomId: string, userId: string, seq: number): Promise<number | null> {
    const advanced: { last_read_seq: string }[] = await this.manager.query(
      `WITH advanced AS (
         UPDATE memberships m SET last_read_seq = LEAST($3::bigint, r.last_seq)
         FROM rooms r
         WHERE r.id = m.room_id AND m.room_id = $1 AND m.user_id = $2 AND m.last_read_seq < LEAST($3::bigint, r.last_seq)
         RETURNING m.last_read_seq
       )
       SELECT last_read_seq FROM advanced`,
      [roomId, userId, seq],
    );
    return advanced.length > 0 ? Number(advanced[0].last_read_seq) : null;
  }

  async readMarker(roomId: string, userId: string): Promise<number | null> {
    const membership = await this.manager.findOne(MembershipEntity, {
      select: { lastReadSeq: true },
      where: { roomId, userId },
    });
    return membership ? membership.lastReadSeq : null;
  }

  /** Stores the member's notification preference for the room; false when they are not a member. */
  async setNotify(roomId: string, userId: string, level: NotifyLevel): Promise<boolean> {
    const changed: unknown[] = await this.manager.query(
      `WITH changed AS (
         UPDATE memberships SET notify = $3 WHERE room_id = $1 AND user_id = $2 RETURNING 1
       )
       SELECT * FROM changed`,
      [roomId, userId, level],
    );
    return changed.length > 0;
  }
}
