import { Injectable } from '@nestjs/common';

import { type AuthSessionInfo, ErrorCode, type SessionEndedEvent } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { UsersService } from '../users/users.service';
import { AuthSessions } from './auth-sessions';
import type { TokenClaims } from './auth-user';
import { TokenRevocations } from './token-revocations';

const SIGNED_OUT: SessionEndedEvent = { reason: 'logged_out', message: 'Signed out' };
const SUSPENDED: SessionEndedEvent = { reason: 'suspended', message: 'This account is suspended' };

/**
 * Ending sign-in sessions, whoever asks (logout, logout-all, ending one from the sessions list, an operator's
 * suspension). Tokens are refused first and sockets ended after, on every instance: a socket that
 * reconnected in between presents a refused token, so none outlives the end. When refusing fails,
 * the call fails before any socket is touched and can be repeated.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: AuthSessions,
    private readonly revocations: TokenRevocations,
    private readonly users: UsersService,
    private readonly broadcaster: RealtimeBroadcaster,
  ) {}

  list(userId: string, currentSessionId: string | undefined): Promise<AuthSessionInfo[]> {
    return this.sessions.list(userId, currentSessionId);
  }

  /** Ends the token's session (every token of it); a token without one is revoked alone. */
  async logout(claims: TokenClaims): Promise<void> {
    if (claims.sid) {
      await this.sessions.end(claims.sub, claims.sid).catch((error: unknown) => {
        // Already ended by another device: the caller's token was verified, so it was only just now.
        if (!(error instanceof AppError && error.code === ErrorCode.NOT_FOUND)) throw error;
      });
      this.broadcaster.endSessionSockets(claims.sid, SIGNED_OUT);
    } else if (claims.jti) {
      await this.revocations.revoke(claims.jti, (claims.exp ?? 0) * 1000);
      this.broadcaster.endTokenSessions(claims.jti, SIGNED_OUT);
    }
  }

  /** Ends every session of the user, the caller's included (and the caller's token when it has no session). */
  async logoutAll(userId: string, claims: TokenClaims): Promise<void> {
    const ended = await this.sessions.endAll(userId);
    if (!claims.sid) await this.logout(claims);
    for (const sessionId of new Set([...ended, ...(claims.sid ? [claims.sid] : [])])) {
      this.broadcaster.endSessionSockets(sessionId, SIGNED_OUT);
    }
  }

  /** Ends one session of the user; NOT_FOUND when it is not theirs or already ended. */
  async end(userId: string, sessionId: string): Promise<void> {
    await this.sessions.end(userId, sessionId);
    this.broadcaster.endSessionSockets(sessionId, SIGNED_OUT);
  }

  /**
   * Tokens and sign-in of the user refused from now on (the suspension is checked on every token),
   * then every socket of theirs ended; NOT_FOUND for an unknown user.
   */
  async suspend(userId: string): Promise<void> {
    await this.users.setSuspended(userId, true);
    this.broadcaster.endUserSessions(userId, SUSPENDED);
  }
}
