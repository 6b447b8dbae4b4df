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
import type { ChatServer } from './socket-types';

/**
 * The typed way services reach clients. Emits go through the Socket.IO adapter, so with Redis
 * they reach the sockets of every instance, not only this one's.
 */
@Injectable()
export class RealtimeBroadcaster {
  private server: ChatServer | null = null;

  attach(server: ChatServer): void {
    this.server = server;
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
   * Tells the sockets why, then closes them. Both go through the adapter in this order, so every
   * instance delivers the reason before it disconnects; `close` also ends the underlying connection.
   */
  private endSessions(channel: string, ended: SessionEndedEvent): void {
    if (!this.server) return;
    this.server.to(channel).emit('session:ended', ended);
    chatMetrics.broadcasts.inc({ event: 'session:ended' });
    this.server.in(channel).disconnectSockets(true);
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
