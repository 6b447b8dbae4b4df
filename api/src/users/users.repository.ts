import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';

import type { UserRef } from '@chat/contracts';

import { escapeLike } from '../database/escape-like';
import { UserEntity } from './entities/user.entity';

/** A user as a token check reads it: who they are and whether they may act. */
export interface UserCredentials {
  ref: UserRef;
  suspended: boolean;
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
    const rows: { id: string; username: string; display_name: string; suspended: boolean }[] =
      await this.users.query(
        `SELECT id, username, display_name, suspended_at IS NOT NULL AS suspended
         FROM users WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    return rows.map((row) => ({
      ref: { id: row.id, username: row.username, displayName: row.display_name },
      suspended: row.suspended,
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

  exists(id: string, db: EntityManager = this.users.manager): Promise<boolean> {
    return db.existsBy(UserEntity, { id });
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

  /** Match on username or display name (case-insensitive, literal), never `exceptId`. */
  search(exceptId: string, search: string | undefined, limit: number): Promise<UserEntity[]> {
    const query = this.users
      .createQueryBuilder('user')
      .where('user.id <> :exceptId', { exceptId })
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
