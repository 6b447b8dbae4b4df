import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import {
  AuthRefreshResult,
  ErrorCode,
  RoomJoinResult,
  channelOfRoom,
  channelOfSession,
  channelOfToken,
  channelOfUser,
} from '@chat/contracts';

import { AuthService } from '../auth/auth.service';
import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { LimitsConfig } from '../config/limits.config';
import { PresenceService } from '../presence/presence.service';
import type { ChatSocket } from '../realtime/socket-types';
import { RoomsService } from '../rooms/rooms.service';

/** The socket side of the chat: connection lifecycle and per-socket room subscriptions. */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);
  readonly instanceId: string;
  private readonly limits: LimitsConfig;

  constructor(
    private readonly rooms: RoomsService,
    private readonly presence: PresenceService,
    private readonly auth: AuthService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.instanceId = config.get('app.instanceId', { infer: true });
    this.limits = config.get('limits', { infer: true });
  }

  /**
   * Handshake check after authentication: the user's sockets across the cluster stay under the
   * limit. Read from the presence counts, so two handshakes racing may both pass: a soft limit that
   * stops runaway clients, not an exact quota.
   */
  async admit(socket: ChatSocket): Promise<void> {
    const open = await this.presence.connectionsOf(socket.data.user.id).catch(() => 0);
    if (open >= this.limits.connectionsPerUser) {
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `Too many connections for this account (at most ${this.limits.connectionsPerUser})`,
      );
    }
  }

  async onConnect(socket: ChatSocket): Promise<void> {
    const { user } = socket.data;
    // The user channel lets any instance reach all of a user's sockets (room leave, bans).
    await socket.join(channelOfUser(user.id));
    // And the session channel lets a logout reach exactly the sockets of that sign-in session (the
    // token channel, those opened with a token that has no session).
    await socket.join(sessionChannelOf(socket.data));
    if (socket.recovered) await this.dropLostRooms(socket);
    // Through the adapter (socket.emit), not emitHere: with connection state recovery this greeting
    // carries the client's first offset, without which a connection that drops before any room
    // event cannot be recovered.
    socket.emit('session', { userId: user.id, instanceId: this.instanceId });
    await this.presence.connected(user.id).catch((error: Error) => {
      this.logger.warn(`Presence update failed for ${user.id}: ${error.message}`);
    });
  }

  /**
   * Connection state recovery brings a socket's rooms back without asking anyone; a ban (or leave)
   * that happened while it was away must not be undone that way.
   */
  private async dropLostRooms(socket: ChatSocket): Promise<void> {
    const roomIds = roomIdsOf(socket);
    const kept = await this.rooms.memberOfAmong(socket.data.user.id, roomIds);
    for (const roomId of roomIds) if (!kept.has(roomId)) await socket.leave(channelOfRoom(roomId));
  }

  async onDisconnect(socket: ChatSocket): Promise<void> {
    const user = socket.data.user;
    if (!user) return;
    await this.presence.disconnected(user.id).catch((error: Error) => {
      this.logger.warn(`Presence update failed for ${user.id}: ${error.message}`);
    });
  }

  /** Swaps the socket's token for a newer one of the same user; its expiry moves accordingly. */
  async refreshSession(socket: ChatSocket, token: string): Promise<AuthRefreshResult> {
    const session = await this.auth.verify(token);
    if (session.user.id !== socket.data.user.id) {
      throw AppError.forbidden('The new token belongs to another user');
    }
    await socket.leave(sessionChannelOf(socket.data));
    socket.data.tokenId = session.tokenId;
    socket.data.sessionId = session.sessionId;
    await socket.join(sessionChannelOf(socket.data));
    socket.data.expiresAtMs = session.expiresAtMs;
    return { expiresAt: new Date(session.expiresAtMs).toISOString() };
  }

  async join(socket: ChatSocket, roomId: string): Promise<RoomJoinResult> {
    const channel = channelOfRoom(roomId);
    if (!socket.rooms.has(channel) && roomIdsOf(socket).length >= this.limits.roomsPerSocket) {
      throw AppError.forbidden(
        `A connection can be in at most ${this.limits.roomsPerSocket} rooms at once; leave one first`,
      );
    }
    await this.rooms.subscribe(socket.data.user.id, roomId);
    await socket.join(channel);
    // Read after joining: every message with a seq above this one is certain to arrive live.
    const room = await this.rooms.getRoom(roomId);
    const online = await this.presence.onlineAmong(await this.rooms.memberIds(roomId));
    return { room, lastSeq: room.lastSeq, onlineMemberIds: [...online] };
  }

  async leave(socket: ChatSocket, roomId: string): Promise<void> {
    await socket.leave(channelOfRoom(roomId));
  }

  /** Typing is not stored; only a socket subscribed to the room may signal it. */
  typing(socket: ChatSocket, roomId: string, isTyping: boolean): void {
    const channel = channelOfRoom(roomId);
    if (!socket.rooms.has(channel)) throw AppError.forbidden('Join the room before signalling typing');
    socket.to(channel).emit('typing', { roomId, userId: socket.data.user.id, isTyping });
  }
}

const ROOM_CHANNEL_PREFIX = channelOfRoom('');

/** The chat rooms a socket is subscribed to (its own id, user and token channels left out). */
function roomIdsOf(socket: ChatSocket): string[] {
  const roomIds: string[] = [];
  for (const channel of socket.rooms) {
    if (channel.startsWith(ROOM_CHANNEL_PREFIX)) roomIds.push(channel.slice(ROOM_CHANNEL_PREFIX.length));
  }
  return roomIds;
}

/** The channel that ends this socket's sign-in: its session's, or its token's when it has none. */
function sessionChannelOf(data: { sessionId: string | null; tokenId: string | null }): string {
  if (data.sessionId) return channelOfSession(data.sessionId);
  return channelOfToken(data.tokenId ?? 'none');
}
