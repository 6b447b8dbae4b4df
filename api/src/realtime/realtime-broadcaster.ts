import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';

import {
  ServerEventName,
  ServerPayload,
  SessionEndedEvent,
  channelOfRoom,
  channelOfSession,
  channelOfToken,
  channelOfUser,
} from '@chat/contracts';

import { chatMetrics } from '../metrics/chat-metrics';
import { RedisConnection } from '../redis/redis.module';
import { type ChatServer, END_SESSIONS } from './socket-types';

/**
 * The typed way services reach clients. Emits go through the Socket.IO adapter, so with Redis
 * they reach the sockets of every instance, not only this one's.
 */
@Injectable()
export class RealtimeBroadcaster {
  private server: ChatServer | null = null;

  constructor(private readonly redis: RedisConnection) {}

  attach(server: ChatServer): void {
    this.server = server;
    server.on(END_SESSIONS, (channel, ended) => this.endSessionsHere(channel, ended));
  }

  toRoom<E extends ServerEventName>(roomId: string, event: E, payload: ServerPayload<E>): void {
    this.emit([channelOfRoom(roomId)], event, payload);
  }

  toRooms<E extends ServerEventName>(roomIds: string[], event: E, payload: ServerPayload<E>): void {
    if (roomIds.length > 0) this.emit(roomIds.map(channelOfRoom), event, payload);
  }

  /** Reaches every socket of a user, on every instance. */
  toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>): void {
    this.emit([channelOfUser(userId)], event, payload);
  }

  /** Stops a user's sockets, on every instance, from receiving a room's events. */
  unsubscribeUser(userId: string, roomId: string): void {
    this.server?.in(channelOfUser(userId)).socketsLeave(channelOfRoom(roomId));
  }

  /** Unsubscribes every socket, on every instance, from a room that no longer exists. */
  closeRoom(roomId: string): void {
    this.server?.in(channelOfRoom(roomId)).socketsLeave(channelOfRoom(roomId));
  }

  /** Ends every socket of a sign-in session (logout, logout-all, DELETE /auth/sessions/:id), on every instance. */
  endSessionSockets(sessionId: string, ended: SessionEndedEvent): void {
    this.endSessions(channelOfSession(sessionId), ended);
  }

  /** Ends the sessions of every socket opened with this token (logout of a token without a session), on every instance. */
  endTokenSessions(tokenId: string, ended: SessionEndedEvent): void {
    this.endSessions(channelOfToken(tokenId), ended);
  }

  /** Ends every session of a user (suspension), on every instance. */
  endUserSessions(userId: string, ended: SessionEndedEvent): void {
    this.endSessions(channelOfUser(userId), ended);
  }

  /**
   * Ends the channel's sockets here, and has every other instance end its own: one inter-server
   * message, so each instance tells its sockets why before it closes them. An emit to the channel
   * followed by `disconnectSockets` would be two adapter messages with no order between them: the
   * sharded adapter publishes the emit on the channel's own shard and the disconnect on the
   * namespace's, and delivers both locally only once each publish has been answered.
   */
  private endSessions(channel: string, ended: SessionEndedEvent): void {
    if (!this.server) return;
    this.endSessionsHere(channel, ended);
    // Without Redis there is no other instance (and the in-memory adapter has no inter-server events).
    if (this.redis.client) this.server.serverSideEmit(END_SESSIONS, channel, ended);
    chatMetrics.broadcasts.inc({ event: 'session:ended' });
  }

  /** Tells this instance's sockets of the channel why, then closes them (`close` ends the connection too). */
  private endSessionsHere(channel: string, ended: SessionEndedEvent): void {
    this.server?.local.to(channel).emit('session:ended', ended);
    this.server?.local.in(channel).disconnectSockets(true);
  }

  /** Closes every client transport of this instance; clients see a drop and reconnect. Returns how many. */
  closeAllConnections(): number {
    const engine = this.server?.engine;
    if (!engine) return 0;
    const count = engine.clientsCount;
    engine.close();
    return count;
  }

  private emit<E extends ServerEventName>(channels: string[], event: E, payload: ServerPayload<E>): void {
    // socket.io's typed emit cannot follow a generic event name; the signature above keeps callers exact.
    (this.server as Server | null)?.to(channels).emit(event, payload);
    chatMetrics.broadcasts.inc({ event });
  }
}
