import { Socket } from 'socket.io-client';

import { SessionEvent } from '@chat/contracts';

import { ConnectionState, TypedSocket } from './chat-socket-options';
import { ChatError, ChatSocketError } from './errors';
import { EventHub } from './event-hub';
import { Deferred, connectFailure, deferred } from './socket-io-mapping';

/**
 * The connection's state as callers see it (`connecting`, `online`, `reconnecting`, `offline`), the
 * `connect()` promise awaiting the server's session, and waiting for a reconnect. Fed by ChatSocket
 * from socket.io-client's events.
 */
export class ConnectionLifecycle {
  private current: ConnectionState = 'offline';
  private readonly states = new EventHub<{ state: ConnectionState }>();
  private session: SessionEvent | null = null;
  private sessionReady = false;
  private hasConnected = false;
  private pendingConnect: Deferred<SessionEvent> | null = null;

  constructor(
    private readonly socket: TypedSocket,
    /** Failures with no caller to reject. */
    private readonly report: (error: ChatError) => void,
  ) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** The last session, kept after a disconnect. */
  get lastSession(): SessionEvent | null {
    return this.session;
  }

  onState(handler: (state: ConnectionState) => void): () => void {
    return this.states.on('state', handler);
  }

  connect(): Promise<SessionEvent> {
    const session = this.sessionReady ? this.session : null;
    if (this.socket.connected && session) return Promise.resolve(session);
    if (!this.pendingConnect) {
      this.pendingConnect = deferred();
      if (this.current === 'offline') this.setState('connecting');
      this.socket.connect();
    }
    return this.pendingConnect.promise;
  }

  disconnect(): void {
    this.socket.disconnect();
    this.setState('offline');
    this.settleConnect(ChatSocketError.disconnected('Disconnected by the client'));
  }

  connected(): void {
    this.setState('online');
    this.hasConnected = true;
  }

  sessionStarted(session: SessionEvent): void {
    this.session = session;
    this.sessionReady = true;
    this.settleConnect(null, session);
  }

  disconnected(reason: Socket.DisconnectReason): void {
    this.sessionReady = false;
    // After these two Socket.IO does not reconnect by itself.
    const final = reason === 'io client disconnect' || reason === 'io server disconnect';
    this.setState(final ? 'offline' : 'reconnecting');
    this.settleConnect(ChatSocketError.disconnected(`Disconnected: ${reason}`));
  }

  connectFailed(error: Error & { data?: unknown }): void {
    const retrying = this.socket.active && this.socket.io.reconnection();
    if (!retrying) this.setState('offline');
    else this.setState(this.hasConnected ? 'reconnecting' : 'connecting');
    const failure = connectFailure(error);
    // A refusal during an automatic reconnect (e.g. the token expired meanwhile) has no caller to reject.
    if (this.pendingConnect) this.settleConnect(failure);
    else if (!retrying) this.report(failure);
  }

  reconnectFailed(): void {
    this.setState('offline');
  }

  /** Resolves once online; rejects if the connection goes offline for good or stays down `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    if (this.current === 'offline') return Promise.reject(ChatSocketError.disconnected());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(ChatSocketError.disconnected(`Not reconnected within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = this.states.on('state', (state) => {
        if (state !== 'online' && state !== 'offline') return;
        clearTimeout(timer);
        stop();
        if (state === 'online') resolve();
        else reject(ChatSocketError.disconnected());
      });
    });
  }

  private setState(next: ConnectionState): void {
    if (next === this.current) return;
    this.current = next;
    this.states.emit('state', next);
  }

  private settleConnect(error: ChatError, session?: undefined): void;
  private settleConnect(error: null, session: SessionEvent): void;
  private settleConnect(error: ChatError | null, session?: SessionEvent): void {
    const pending = this.pendingConnect;
    if (!pending) return;
    this.pendingConnect = null;
    if (session) pending.resolve(session);
    else pending.reject(error);
  }
}
