import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';

import { escapeLike } from '../database/escape-like';
import { UserEntity } from './entities/user.entity';

/** Queries on `users`, through the entity. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  insert(user: Pick<UserEntity, 'username' | 'passwordHash' | 'displayName'>): Promise<UserEntity> {
    return this.users.save(this.users.create(user));
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
