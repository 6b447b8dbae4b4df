import { Injectable } from '@nestjs/common';

import { channelOfRoom } from '@chat/contracts';

import { AuthSession } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import type { RecoveryPolicy, RestoredSession } from '../realtime/recovery-gate';
import type { ChatSocketData } from '../realtime/socket-types';
import { RoomsService } from '../rooms/rooms.service';
import { claimsOfSocket } from './socket-credentials';

const ROOM_CHANNEL_PREFIX = channelOfRoom('');

/**
 * Who gets a dropped connection's missed events replayed: the same user, with a token that passes
 * every handshake check, whose old session was not ended (logout, suspension) while away, and who
 * is still a member of every room the session was subscribed to. The adapter's replay is already
 * filtered by the rooms the session had when it dropped; rather than re-filter it packet by
 * packet, a session that lost a room is not resumed at all: the client gets a fresh session (a new
 * `pid`), which tells it to re-join and catch up from history, where membership is checked.
 */
@Injectable()
export class ChatRecoveryPolicy implements RecoveryPolicy<AuthSession> {
  constructor(
    private readonly auth: AuthService,
    private readonly rooms: RoomsService,
  ) {}

  async identify(handshake: Record<string, unknown>): Promise<AuthSession | null> {
    const token = handshake.token;
    if (typeof token !== 'string' || token.length === 0) return null;
    return this.auth.verify(token);
  }

  async mayResume(identity: AuthSession, session: RestoredSession): Promise<boolean> {
    const data = session.data as Partial<ChatSocketData> | undefined;
    if (!data?.user || data.user.id !== identity.user.id) return false;
    // The token and sign-in session it was opened with: revoked (logout) means it was ended on purpose.
    if ((data.tokenId ?? null) !== identity.tokenId || (data.sessionId ?? null) !== identity.sessionId) {
      await this.auth.userOfClaims(
        claimsOfSocket({ user: data.user, tokenId: data.tokenId ?? null, sessionId: data.sessionId ?? null }),
      );
    }
    const roomIds = session.rooms
      .filter((channel) => channel.startsWith(ROOM_CHANNEL_PREFIX))
      .map((channel) => channel.slice(ROOM_CHANNEL_PREFIX.length));
    const kept = await this.rooms.memberOfAmong(identity.user.id, roomIds);
    return roomIds.every((roomId) => kept.has(roomId));
  }
}
