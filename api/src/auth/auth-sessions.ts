import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';

import type { AuthSessionInfo } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AuthSessionEntity } from './entities/auth-session.entity';
import { TokenRevocations } from './token-revocations';

const USER_AGENT_MAX = 256;

/**
 * Sign-in sessions: the record (Postgres, for the list and for refresh) and their end (the record,
 * then TokenRevocations so every instance refuses the session's tokens at once).
 */
@Injectable()
export class AuthSessions {
  constructor(
    @InjectRepository(AuthSessionEntity) private readonly sessions: Repository<AuthSessionEntity>,
    private readonly revocations: TokenRevocations,
  ) {}

  async start(userId: string, userAgent: string | undefined): Promise<string> {
    const session = await this.sessions.save(
      this.sessions.create({
        userId,
        userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null,
        lastSeenAt: new Date(),
      }),
    );
    return session.id;
  }

  /** Before a refresh: the session must still be open (and the user's); its last-seen moves to now. */
  async touch(userId: string, sessionId: string): Promise<void> {
    const result = await this.sessions.update(
      { id: sessionId, userId, endedAt: IsNull() },
      { lastSeenAt: new Date() },
    );
    if (!result.affected) throw AppError.unauthorized('This session has ended: sign in again');
  }

  async list(userId: string, currentSessionId: string | undefined): Promise<AuthSessionInfo[]> {
    const open = await this.sessions.find({
      where: { userId, endedAt: IsNull() },
      order: { lastSeenAt: 'DESC' },
    });
    return open.map((session) => ({
      id: session.id,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      userAgent: session.userAgent,
      current: session.id === currentSessionId,
    }));
  }

  /**
   * Ends one session of the user; NOT_FOUND when it is not theirs or already ended. Revoked in Redis
   * before the row is marked: if either step fails the call fails and can be repeated, and a
   * session is never recorded as ended while its tokens are still accepted.
   */
  async end(userId: string, sessionId: string): Promise<void> {
    const open = await this.sessions.existsBy({ id: sessionId, userId, endedAt: IsNull() });
    if (!open) throw AppError.notFound('Session');
    await this.revocations.endSession(sessionId);
    await this.sessions.update({ id: sessionId }, { endedAt: new Date() });
  }

  /**
   * Ends every open session of the user but `exceptId` (in the same order as end()); returns their
   * ids, to close their sockets.
   */
  async endAll(userId: string, exceptId?: string): Promise<string[]> {
    const open = await this.sessions.find({ select: { id: true }, where: { userId, endedAt: IsNull() } });
    const ids = open.map((session) => session.id).filter((id) => id !== exceptId);
    if (ids.length === 0) return ids;
    await Promise.all(ids.map((id) => this.revocations.endSession(id)));
    await this.sessions.update({ id: In(ids) }, { endedAt: new Date() });
    return ids;
  }
}
