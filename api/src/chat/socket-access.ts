import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { ErrorCode } from '@chat/contracts';

import { AuthService } from '../auth/auth.service';
import { BotKeys } from '../bots/bot-keys';
import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { emitHere } from '../realtime/emit-here';
import type { ChatSocket } from '../realtime/socket-types';
import { RoomsService } from '../rooms/rooms.service';
import { assertKeyScope, claimsOfSocket } from './socket-credentials';

/**
 * Re-checks, on the events a socket sends, what its handshake checked once: its token is not
 * revoked and its account not suspended (and, for a room it signals typing in, that it is still a
 * member). Logout, suspension and bans reach open sockets by a broadcast, and a broadcast can miss
 * a socket (one mid-handshake, an instance whose Redis publish failed); this makes every write of
 * such a socket fail, and ends its session, instead of trusting that broadcast. Each answer stands
 * for SOCKET_RECHECK_MS, so a busy socket costs one database read per interval, not one per event.
 */
@Injectable()
export class SocketAccess {
  private readonly logger = new Logger(SocketAccess.name);
  private readonly recheckMs: number;
  // Until when (ms since the epoch) each check of a socket stands. Two maps rather than one object
  // per socket: an idle socket holds one number here, and a room map only once it signals in a room.
  private readonly credentialsUntil = new WeakMap<ChatSocket, number>();
  private readonly roomsUntil = new WeakMap<ChatSocket, Map<string, number>>();

  constructor(
    private readonly auth: AuthService,
    private readonly rooms: RoomsService,
    private readonly botKeys: BotKeys,
    config: ConfigService<AllConfig, true>,
  ) {
    this.recheckMs = config.get('realtime.recheckMs', { infer: true });
  }

  /**
   * Throws UNAUTHORIZED (revoked, account gone) or FORBIDDEN (suspended), after telling the socket
   * its session ended and scheduling its disconnect behind the error ack. A check that cannot be
   * made (Redis or the database unreachable) lets the event through and stands like a passed one:
   * the handshake did verify this socket, and an outage must neither stop every write nor make each
   * one wait for a timeout twice.
   */
  async assertActive(socket: ChatSocket): Promise<void> {
    const now = Date.now();
    if (now < (this.credentialsUntil.get(socket) ?? 0)) return;
    try {
      await this.verifyCredentials(socket);
    } catch (error) {
      if (!(error instanceof AppError)) {
        this.logger.warn(`Credentials re-check failed: ${(error as Error).message}`);
        this.credentialsUntil.set(socket, now + this.recheckMs);
        return;
      }
      this.endSession(socket, error);
      throw error;
    }
    this.credentialsUntil.set(socket, now + this.recheckMs);
  }

  /**
   * Throws FORBIDDEN unless the socket's user is (still) a member of the room, and its API key (a
   * bot's) reaches the room; the membership answer is cached.
   */
  async assertMember(socket: ChatSocket, roomId: string): Promise<void> {
    assertKeyScope(socket.data, roomId);
    const now = Date.now();
    if (now < (this.roomsUntil.get(socket)?.get(roomId) ?? 0)) return;
    await this.rooms.assertMember(roomId, socket.data.user.id);
    let rooms = this.roomsUntil.get(socket);
    if (!rooms) this.roomsUntil.set(socket, (rooms = new Map()));
    rooms.set(roomId, now + this.recheckMs);
  }

  /** Starts the socket's checks: its handshake has just verified its credentials. */
  admitted(socket: ChatSocket): void {
    this.credentialsUntil.set(socket, Date.now() + this.recheckMs);
  }

  /** Forgets the cached membership (the socket left the room). */
  forgetRoom(socket: ChatSocket, roomId: string): void {
    this.roomsUntil.get(socket)?.delete(roomId);
  }

  /** A person's token (revocation, suspension) or a bot's API key (revoked, bot suspended). */
  private async verifyCredentials(socket: ChatSocket): Promise<void> {
    if (!socket.data.botKeyRoomIds) {
      await this.auth.userOfClaims(claimsOfSocket(socket.data));
      return;
    }
    const key = socket.data.tokenId ? await this.botKeys.current(socket.data.tokenId) : null;
    if (!key) throw AppError.unauthorized('This API key was revoked (or its bot suspended)');
  }

  private endSession(socket: ChatSocket, error: AppError): void {
    const suspended = error.code === ErrorCode.FORBIDDEN;
    emitHere(socket, 'session:ended', {
      reason: suspended ? 'suspended' : 'logged_out',
      message: error.message,
    });
    // After the error ack, which the exception filter sends once this rejection has propagated.
    setImmediate(() => socket.disconnect(true));
  }
}
