import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';

import type { UserRef } from '@chat/contracts';

import { escapeLike } from '../database/escape-like';
import { UserEntity } from './entities/user.entity';

/** A user as a token check reads it: who they are and whether they may act. */
export interface UserCredentials {
  ref: UserRef;
  suspended: boolean;
  deleted: boolean;
}

/** Queries on `users`, through the entity. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  insert(user: Pick<UserEntity, 'username' | 'passwordHash' | 'displayName'>): Promise<UserEntity> {
    return this.users.save(this.users.create(user));
  }

  /** What a token check needs of these users (absent ones are missing from the result). */
  async credentialsOf(ids: readonly string[]): Promise<UserCredentials[]> {
    const rows: { id: string; username: string; display_name: string; suspended: boolean; deleted: boolean }[] =
      await this.users.query(
        `SELECT id, username, display_name, suspended_at IS NOT NULL AS suspended,
                deleted_at IS NOT NULL AS deleted
         FROM users WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    return rows.map((row) => ({
      ref: { id: row.id, username: row.username, displayName: row.display_name },
      suspended: row.suspended,
      deleted: row.deleted,
    }));
  }

  /** With the password hash, for sign-in only. */
  findForLogin(username: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('lower(user.username) = lower(:username)', { username })
      .getOne();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** A live account: deleted ones no longer exist for anyone to add, ban or message. */
  exists(id: string, db: EntityManager = this.users.manager): Promise<boolean> {
    return db.existsBy(UserEntity, { id, deletedAt: IsNull() });
  }

  /** These users, by username. */
  findMany(ids: string[], db: EntityManager = this.users.manager): Promise<UserEntity[]> {
    return db.find(UserEntity, { where: { id: In(ids) }, order: { username: 'ASC' } });
  }

  /** False if there is no such user. */
  async setSuspendedAt(id: string, suspendedAt: Date | null): Promise<boolean> {
    const result = await this.users.update({ id }, { suspendedAt });
    return Boolean(result.affected);
  }

  async setDisplayName(id: string, displayName: string): Promise<void> {
    await this.users.update({ id, deletedAt: IsNull() }, { displayName });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id, deletedAt: IsNull() }, { passwordHash });
  }

  /** The stored hash, to check the current password before an account change; null for a deleted account. */
  async passwordHashOf(id: string): Promise<string | null> {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :id AND user.deletedAt IS NULL', { id })
      .getOne();
    return user?.passwordHash ?? null;
  }

  /**
   * Deletes an account in place: the row stays so its messages keep a sender, with nothing left of
   * the person — "Deleted user", a username no one can register or sign in with (`:` is not allowed
   * in usernames), no password. False when it was already deleted (a concurrent request won).
   */
  async anonymize(db: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await db.query(
      `WITH deleted AS (
         UPDATE users SET deleted_at = now(), display_name = 'Deleted user', password_hash = '',
           username = 'deleted:' || left(replace(id::text, '-', ''), 24)
         WHERE id = $1 AND deleted_at IS NULL RETURNING id
       )
       SELECT id FROM deleted`,
      [id],
    );
    return rows.length > 0;
  }

  /** Match on username or display name (case-insensitive, literal), never `exceptId`. */
  search(exceptId: string, search: string | undefined, limit: number): Promise<UserEntity[]> {
    const query = this.users
      .createQueryBuilder('user')
      .where('user.id <> :exceptId', { exceptId })
      .andWhere('user.deletedAt IS NULL')
      .orderBy('lower(user.username)')
      .limit(limit);
    if (search) {
      query.andWhere('(user.username ILIKE :pattern OR user.displayName ILIKE :pattern)', {
        pattern: `%${escapeLike(search)}%`,
      });
    }
    return query.getMany();
  }
}
