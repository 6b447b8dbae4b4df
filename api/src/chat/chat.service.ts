import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import {
  AckError,
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
import { mapError } from '../common/error-mapping';
import { AllConfig } from '../config/config.type';
import { LimitsConfig } from '../config/limits.config';
import { PresenceService } from '../presence/presence.service';
import type { ChatSocket } from '../realtime/socket-types';
import { RoomsService } from '../rooms/rooms.service';
import { ClientEventBudgets, UNKNOWN_EVENT } from './client-event-budgets';
import { SocketAccess } from './socket-access';
import { assertKeyScope } from './socket-credentials';
import { TypingCoalescer } from './typing-coalescer';

/** The socket side of the chat: connection lifecycle and per-socket room subscriptions. */
@Injectable()
export class ChatService implements OnApplicationShutdown {
  private readonly logger = new Logger(ChatService.name);
  readonly instanceId: string;
  private readonly limits: LimitsConfig;
  private readonly joinsInFlight = new WeakMap<ChatSocket, number>();
  private readonly typingSignals = new TypingCoalescer();

  constructor(
    private readonly rooms: RoomsService,
    private readonly presence: PresenceService,
    private readonly auth: AuthService,
    private readonly access: SocketAccess,
    private readonly budgets: ClientEventBudgets,
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
    this.access.admitted(socket);
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
   * Connection state recovery brings a socket's channels back. The recovery gate checked its rooms
   * before the replay, but a ban committed after that check and before this socket could be reached
   * by the ban's unsubscribe would still leave it in the room: checked again now that it can. The
   * channel of the token the session was opened with goes too, when the handshake used another one.
   */
  private async dropLostRooms(socket: ChatSocket): Promise<void> {
    const current = socket.data.tokenId ? channelOfToken(socket.data.tokenId) : null;
    for (const channel of socket.rooms) {
      if (channel.startsWith(TOKEN_CHANNEL_PREFIX) && channel !== current) await socket.leave(channel);
    }
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

  /**
   * Subscribes the socket to a room's events. The rooms-per-socket limit counts joins still in
   * flight, so joins fired together cannot all pass it. Membership is read again after the socket
   * is subscribed: a ban that commits while the join is being checked is either seen by that read
   * or unsubscribes a socket that is already in the room, so it cannot leave the socket subscribed.
   */
  async join(socket: ChatSocket, roomId: string): Promise<RoomJoinResult> {
    assertKeyScope(socket.data, roomId);
    const channel = channelOfRoom(roomId);
    const userId = socket.data.user.id;
    const pending = this.joinsInFlight.get(socket) ?? 0;
    if (!socket.rooms.has(channel) && roomIdsOf(socket).length + pending >= this.limits.roomsPerSocket) {
      throw AppError.forbidden(
        `A connection can be in at most ${this.limits.roomsPerSocket} rooms at once; leave one first`,
      );
    }
    this.joinsInFlight.set(socket, pending + 1);
    try {
      await this.rooms.subscribe(userId, roomId);
      await socket.join(channel);
    } finally {
      const left = (this.joinsInFlight.get(socket) ?? 1) - 1;
      if (left > 0) this.joinsInFlight.set(socket, left);
      else this.joinsInFlight.delete(socket);
    }
    // Read after subscribing, in one query: the membership again (a ban or removal that committed
    // while the join was being checked must not leave the socket subscribed), and the room's last
    // seq — every message above it is certain to arrive live.
    const view = await this.rooms.subscribedView(roomId, userId);
    if (!view?.member) {
      await socket.leave(channel);
      throw AppError.forbidden('You are not a member of this room');
    }
    const online = await this.presence.onlineAmong(view.memberIds);
    return { room: view.room, lastSeq: view.room.lastSeq, onlineMemberIds: [...online] };
  }

  async leave(socket: ChatSocket, roomId: string): Promise<void> {
    await socket.leave(channelOfRoom(roomId));
    this.access.forgetRoom(socket, roomId);
  }

  /**
   * Typing is not stored; only a socket subscribed to the room, whose user is still a member, may
   * signal it (a socket a lost unsubscribe left in the room is taken out here). Broadcasts are
   * coalesced per user and room.
   */
  async typing(socket: ChatSocket, roomId: string, isTyping: boolean): Promise<void> {
    const channel = channelOfRoom(roomId);
    if (!socket.rooms.has(channel)) throw AppError.forbidden('Join the room before signalling typing');
    try {
      await this.access.assertMember(socket, roomId);
    } catch (error) {
      // Not a member (or no such room) any more; an outage is no reason to unsubscribe.
      if (error instanceof AppError) await socket.leave(channel);
      throw error;
    }
    const userId = socket.data.user.id;
    this.typingSignals.signal(`${userId}:${roomId}`, isTyping, (state) =>
      socket.to(channel).emit('typing', { roomId, userId, isTyping: state }),
    );
  }

  /**
   * An event no handler knows: counted against the user's budget for unknown events, and answered
   * NOT_FOUND (or RATE_LIMITED past the budget) when the client asked for an ack.
   */
  async unknownEvent(socket: ChatSocket, event: string): Promise<AckError> {
    try {
      await this.budgets.consume(socket.data.user.id, UNKNOWN_EVENT);
    } catch (error) {
      return { ok: false, error: mapError(error).body };
    }
    return { ok: false, error: { code: ErrorCode.NOT_FOUND, message: `Unknown event: ${event}` } };
  }

  onApplicationShutdown(): void {
    this.typingSignals.clear();
  }
}

const ROOM_CHANNEL_PREFIX = channelOfRoom('');
const TOKEN_CHANNEL_PREFIX = channelOfToken('');

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
