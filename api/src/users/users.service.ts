import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { Limits, User } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { isUniqueViolation } from '../common/postgres-errors';
import { escapeLike } from '../database/escape-like';
import { UserEntity } from './entities/user.entity';
import { toUser } from './users.mapper';

const SEARCH_RESULTS = 20;

@Injectable()
export class UsersService {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async create(username: string, passwordHash: string, displayName: string): Promise<UserEntity> {
    try {
      return await this.users.save(this.users.create({ username, passwordHash, displayName }));
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_lower_key')) {
        throw AppError.conflict('Username is already taken');
      }
      throw error;
    }
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

  async setSuspended(id: string, suspended: boolean): Promise<void> {
    const result = await this.users.update({ id }, { suspendedAt: suspended ? new Date() : null });
    if (!result.affected) throw AppError.notFound('User');
  }

  async getById(id: string): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw AppError.notFound('User');
    return user;
  }

  /** People to start a conversation with: match on username or display name, never the caller. */
  async search(callerId: string, search: string | undefined): Promise<User[]> {
    const query = this.users
      .createQueryBuilder('user')
      .where('user.id <> :callerId', { callerId })
      .orderBy('lower(user.username)')
      .limit(Math.min(SEARCH_RESULTS, Limits.LIST_PAGE_MAX));
    if (search) {
      query.andWhere('(user.username ILIKE :pattern OR user.displayName ILIKE :pattern)', {
        pattern: `%${escapeLike(search)}%`,
      });
    }
    return (await query.getMany()).map(toUser);
  }
}
