import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { ErrorCode } from '@chat/contracts';

import { AuthService } from '../auth/auth.service';
import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { emitHere } from '../realtime/emit-here';
import type { ChatSocket } from '../realtime/socket-types';
import { RoomsService } from '../rooms/rooms.service';
import { claimsOfSocket } from './socket-credentials';

/** When each check of one socket stands until (ms since the epoch). */
interface Checked {
  credentialsUntil: number;
  rooms: Map<string, number>;
}

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
  private readonly checked = new WeakMap<ChatSocket, Checked>();

  constructor(
    private readonly auth: AuthService,
    private readonly rooms: RoomsService,
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
    const checked = this.checkedOf(socket);
    const now = Date.now();
    if (now < checked.credentialsUntil) return;
    try {
      await this.auth.userOfClaims(claimsOfSocket(socket.data));
    } catch (error) {
      if (!(error instanceof AppError)) {
        this.logger.warn(`Credentials re-check failed: ${(error as Error).message}`);
        checked.credentialsUntil = now + this.recheckMs;
        return;
      }
      this.endSession(socket, error);
      throw error;
    }
    checked.credentialsUntil = now + this.recheckMs;
  }

  /** Throws FORBIDDEN unless the socket's user is (still) a member of the room; the answer is cached. */
  async assertMember(socket: ChatSocket, roomId: string): Promise<void> {
    const checked = this.checkedOf(socket);
    const now = Date.now();
    if (now < (checked.rooms.get(roomId) ?? 0)) return;
    await this.rooms.assertMember(roomId, socket.data.user.id);
    checked.rooms.set(roomId, now + this.recheckMs);
  }

  /** Starts the socket's checks: its handshake has just verified its credentials. */
  admitted(socket: ChatSocket): void {
    this.checked.set(socket, { credentialsUntil: Date.now() + this.recheckMs, rooms: new Map() });
  }

  /** Forgets the cached membership (the socket left the room). */
  forgetRoom(socket: ChatSocket, roomId: string): void {
    this.checked.get(socket)?.rooms.delete(roomId);
  }

  private checkedOf(socket: ChatSocket): Checked {
    let checked = this.checked.get(socket);
    if (!checked) {
      checked = { credentialsUntil: 0, rooms: new Map() };
      this.checked.set(socket, checked);
    }
    return checked;
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
