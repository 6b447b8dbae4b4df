import { Injectable } from '@nestjs/common';

import type { SessionEndedEvent, User } from '@chat/contracts';

import { AuthSessions } from '../auth/auth-sessions';
import type { AuthUser, TokenClaims } from '../auth/auth-user';
import { LoginThrottle } from '../auth/login-throttle';
import { PasswordHasher } from '../auth/password-hasher';
import { AppError } from '../common/app-error';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { MembershipsRepository } from '../rooms/memberships.repository';
import { RoomAdminService } from '../rooms/room-admin.service';
import { RoomsRepository } from '../rooms/rooms.repository';
import { toUser, toUserRef } from '../users/users.mapper';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';

const PASSWORD_CHANGED: SessionEndedEvent = { reason: 'logged_out', message: 'The password was changed' };
const ACCOUNT_DELETED: SessionEndedEvent = { reason: 'logged_out', message: 'This account was deleted' };

/** The caller's own account: display name, password, deletion. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly usersRepo: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: AuthSessions,
    private readonly memberships: MembershipsRepository,
    private readonly roomsRepo: RoomsRepository,
    private readonly roomAdmin: RoomAdminService,
    private readonly broadcaster: RealtimeBroadcaster,
  ) {}

  /** The new name reaches every room the user is in (and their own other sockets) as `user:updated`. */
  async updateProfile(user: AuthUser, displayName: string): Promise<User> {
    await this.usersRepo.setDisplayName(user.id, displayName.trim());
    const updated = await this.users.getById(user.id);
    const event = { user: { ...toUserRef(updated), ...(user.isBot && { isBot: true as const }) } };
    this.broadcaster.toRooms((await this.memberships.roomIdsOfUsers([user.id]))[0], 'user:updated', event);
    this.broadcaster.toUser(user.id, 'user:updated', event);
    return toUser(updated);
  }

  /**
   * With the current password; every other session of the user ends (its tokens refused, its sockets
   * closed on every instance), the caller's stays.
   */
  async changePassword(user: AuthUser, claims: TokenClaims, current: string, next: string): Promise<void> {
    await this.checkPassword(user, current);
    await this.usersRepo.setPasswordHash(user.id, await this.hasher.hash(next));
    for (const sessionId of await this.sessions.endAll(user.id, claims.sid)) {
      this.broadcaster.endSessionSockets(sessionId, PASSWORD_CHANGED);
    }
  }

  /**
   * With the password again. In one transaction: the account is anonymised (messages stay, from
   * "Deleted user"), its owned rooms handed over or archived, and it leaves its group rooms. Then its
   * sessions end and every socket of it closes, on every instance; the rooms hear of the changes.
   */
  async delete(user: AuthUser, password: string): Promise<void> {
    await this.checkPassword(user, password);
    const left = await this.roomsRepo.transaction(async (db) => {
      if (!(await this.usersRepo.anonymize(db, user.id)))
        throw AppError.unauthorized('This account was deleted');
      return this.roomAdmin.leaveEverything(db, user.id);
    });
    // Every token of the account is refused from the commit on (deleted_at is read on every token
    // check, session or not); the sessions are marked ended too, and the sockets close everywhere.
    await this.sessions.endAll(user.id);
    this.broadcaster.endUserSessions(user.id, ACCOUNT_DELETED);
    await this.roomAdmin.announce(left.rooms, left.messages);
  }

  /** Counted against the login throttle, so a stolen token cannot be used to guess the password. */
  private async checkPassword(user: AuthUser, password: string): Promise<void> {
    await this.throttle.attempt(user.username);
    const hash = await this.usersRepo.passwordHashOf(user.id);
    if (!hash || !(await this.hasher.verify(hash, password))) {
      throw AppError.validation({ password: ['The password is not correct'] }, 'The password is not correct');
    }
    await this.throttle.succeeded(user.username);
  }
}
