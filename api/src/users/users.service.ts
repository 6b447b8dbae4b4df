import { Injectable } from '@nestjs/common';

import { Limits, User } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { isUniqueViolation } from '../common/postgres-errors';
import { tickBatcher } from '../common/tick-batcher';
import { UserEntity } from './entities/user.entity';
import { toUser } from './users.mapper';
import { UserCredentials, UsersRepository } from './users.repository';

const SEARCH_RESULTS = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class UsersService {
  /** Every handshake, socket re-check and REST request reads its user: concurrent reads are one query. */
  private readonly credentials = tickBatcher<string, UserCredentials | null>(async (ids) => {
    // Ids come from signed tokens, but one that is not a UUID must not fail the batch it is in.
    const found = await this.users.credentialsOf(ids.filter((id) => UUID.test(id)));
    const byId = new Map(found.map((user) => [user.ref.id.toLowerCase(), user]));
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  });

  constructor(private readonly users: UsersRepository) {}

  /** The user a token names, read now (batched with concurrent reads, never cached); null if gone. */
  credentialsOf(id: string): Promise<UserCredentials | null> {
    return this.credentials.load(id);
  }

  async create(username: string, passwordHash: string, displayName: string): Promise<UserEntity> {
    try {
      return await this.users.insert({ username, passwordHash, displayName });
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_lower_key')) {
        throw AppError.conflict('Username is already taken');
      }
      throw error;
    }
  }

  /** With the password hash, for sign-in only. */
  findForLogin(username: string): Promise<UserEntity | null> {
    return this.users.findForLogin(username);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  async setSuspended(id: string, suspended: boolean): Promise<void> {
    const found = await this.users.setSuspendedAt(id, suspended ? new Date() : null);
    if (!found) throw AppError.notFound('User');
  }

  async getById(id: string): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw AppError.notFound('User');
    return user;
  }

  /** People to start a conversation with: match on username or display name, never the caller. */
  async search(callerId: string, search: string | undefined): Promise<User[]> {
    const users = await this.users.search(callerId, search, Math.min(SEARCH_RESULTS, Limits.LIST_PAGE_MAX));
    return users.map(toUser);
  }
}
