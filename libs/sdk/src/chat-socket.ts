import { io } from 'socket.io-client';

import {
  AuthRefreshResult,
  ClientAckResult,
  ClientEventName,
  ClientPayload,
  Limits,
  Message,
  MessageReadResult,
  MessageSendResult,
  MessageUpdateResult,
  ReactionResult,
  RoomJoinResult,
  ServerEventName,
  ServerPayload,
  SessionEvent,
} from '@chat/contracts';

import {
  ChatSocketHttp,
  ChatSocketOptions,
  ConnectionState,
  JoinOptions,
  RequestOptions,
  SendOptions,
  SubscribeOptions,
  TypedSocket,
} from './chat-socket-options';
import { ConnectionLifecycle } from './connection-lifecycle';
import { ChatError, ChatSocketError } from './errors';
import { EventHub } from './event-hub';
import { isTransient, retryDelay, sleep } from './retry-policy';
import { RoomSubscription } from './room-subscription';
import { ackFailure, asChatError, definedOnly, socketUri, unwrapAck } from './socket-io-mapping';
import { randomUuid } from './uuid';

export * from './chat-socket-options';

type ServerPayloads = { [E in ServerEventName]: ServerPayload<E> };

/** socket.io's typed `emitWithAck` cannot follow a generic event name; the public signature keeps callers exact. */
interface UntypedAckEmitter {
  emitWithAck(event: string, payload: unknown): Promise<unknown>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const DEFAULT_GAP_GRACE_MS = 1_000;
const DEFAULT_SEND_RETRIES = 5;
const SEND_BACKOFF = { baseMs: 100, capMs: 2_000 };

/**
 * A typed Socket.IO connection to the chat gateway. Requests resolve with the ack's result or
 * reject with `ChatSocketError`; `message:new` is delivered once per message, in seq order per
 * joined room, with gaps (lost events, reconnects) filled from REST history.
 */
export class ChatSocket {
  /** Escape hatch: the underlying Socket.IO socket. */
  readonly socket: TypedSocket;

  private readonly http: ChatSocketHttp;
  private readonly requestTimeoutMs: number;
  private readonly events = new EventHub<ServerPayloads>();
  private readonly failures = new EventHub<{ error: ChatError }>();
  private readonly connection: ConnectionLifecycle;

  private readonly rooms = new Map<string, RoomSubscription>();
  private readonly gapGraceMs: number;

  constructor(options: ChatSocketOptions) {
    const { baseUrl, http, requestTimeoutMs, gapGraceMs, socketFactory = io, ...tuning } = options;
    this.http = http;
    this.requestTimeoutMs = requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.gapGraceMs = gapGraceMs ?? DEFAULT_GAP_GRACE_MS;
    this.socket = socketFactory(socketUri(baseUrl), {
      ...definedOnly(tuning),
      path: '/socket.io',
      // Read at every (re)connect so a refreshed token is used; never in the query string, which proxies log.
      auth: (send) => send({ token: this.http.token }),
      autoConnect: false,
      // One engine per ChatSocket: two tabs of one user must not share a connection.
      forceNew: true,
    });
    this.connection = new ConnectionLifecycle(this.socket, (error) => this.failures.emit('error', error));
    this.listen();
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The API instance of the last session, kept after a disconnect. */
  get instanceId(): string | null {
    return this.connection.lastSession?.instanceId ?? null;
  }

  get userId(): string | null {
    return this.connection.lastSession?.userId ?? null;
  }

  /** Highest seq delivered in order for a joined room. */
  lastSeqOf(roomId: string): number | undefined {
    return this.rooms.get(roomId)?.lastSeq;
  }

  joinedRooms(): string[] {
    return [...this.rooms.values()].filter((room) => room.live).map((room) => room.roomId);
  }

  // ---- connection -----------------------------------------------------------

  /**
   * Resolves with the server's `session` event once connected. Rejects on the first
   * `connect_error`; a server refusal (e.g. `UNAUTHORIZED`) stops, a network failure keeps retrying.
   */
  connect(): Promise<SessionEvent> {
    return this.connection.connect();
  }

  disconnect(): void {
    this.connection.disconnect();
    for (const room of this.rooms.values()) room.pause();
  }

  // ---- subscriptions --------------------------------------------------------

  /** `message:new` handlers see each message of a joined room once, in seq order. */
  on<E extends ServerEventName>(event: E, handler: (payload: ServerPayload<E>) => void): () => void {
    return this.events.on(event, handler);
  }

  /** Called on each change; read `state` for the current value. */
  onState(handler: (state: ConnectionState) => void): () => void {
    return this.connection.onState(handler);
  }

  /** Failures of background work no caller awaits: re-joins and catch-ups after reconnect or gaps. */
  onError(handler: (error: ChatError) => void): () => void {
    return this.failures.on('error', handler);
  }

  // ---- requests -------------------------------------------------------------

  async request<E extends ClientEventName>(
    event: E,
    payload: ClientPayload<E>,
    options: RequestOptions = {},
  ): Promise<ClientAckResult<E>> {
    // socket.io would buffer the emit until reconnected; an explicit failure is easier to reason about.
    if (!this.socket.connected) throw ChatSocketError.disconnected(`Cannot send ${event}: not connected`);
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    let ack: unknown;
    try {
      ack = await (this.socket.timeout(timeoutMs) as unknown as UntypedAckEmitter).emitWithAck(
        event,
        payload,
      );
    } catch (error) {
      throw ackFailure(event, timeoutMs, error);
    }
    return unwrapAck(event, ack) as ClientAckResult<E>;
  }

  /**
   * Subscribes to a room's events. The first join of a room sets where delivery starts:
   * `sinceSeq` if given (older messages are fetched), else the room's current last seq.
   */
  join(roomId: string, options: JoinOptions = {}): Promise<RoomJoinResult> {
    const room = this.roomOf(roomId);
    if (!room.live) room.sinceSeq = options.sinceSeq;
    return room.join(options);
  }

  /**
   * Keeps a room subscribed for the life of this socket without awaiting the join: joins now if
   * connected, else on connect, again after every reconnect, until `leave()` or until the user
   * loses access to the room. Failures are reported through `onError`. Idempotent.
   */
  subscribe(roomId: string, options: SubscribeOptions = {}): void {
    const room = this.roomOf(roomId);
    if (room.kept) return;
    room.kept = true;
    room.sinceSeq = options.sinceSeq;
    if (this.socket.connected) void room.resume();
  }

  async leave(roomId: string, options: RequestOptions = {}): Promise<void> {
    this.forget(roomId);
    await this.request('room:leave', { roomId }, options);
  }

  /**
   * Gives the open connection a newer token (default: the HTTP client's current one, e.g. after
   * `http.refresh()`), so the server does not end the session when the old one expires. Later
   * reconnects use the HTTP client's token anyway.
   */
  refreshAuth(token = this.http.token, options: RequestOptions = {}): Promise<AuthRefreshResult> {
    if (!token)
      return Promise.reject(
        new ChatSocketError({ code: 'UNAUTHORIZED', message: 'No token to refresh with' }),
      );
    return this.request('auth:refresh', { token }, options);
  }

  /**
   * Sends a message, retrying transient failures with the same clientMsgId so the server stores
   * it once. Waits for a reconnect rather than emitting into a dead connection.
   */
  async send(roomId: string, body: string, options: SendOptions = {}): Promise<MessageSendResult> {
    const payload = {
      roomId,
      body,
      clientMsgId: options.clientMsgId ?? randomUuid(),
      ...(options.attachmentIds?.length && { attachmentIds: options.attachmentIds }),
      ...(options.threadRootId && { threadRootId: options.threadRootId }),
    };
    const retries = options.retries ?? DEFAULT_SEND_RETRIES;
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.connection.whenConnected(timeoutMs);
        return await this.request('message:send', payload, { timeoutMs });
      } catch (error) {
        const failure = asChatError(error);
        const giveUp =
          attempt >= retries || !isTransient(failure.code) || this.connection.state === 'offline';
        if (giveUp) throw failure;
        await sleep(retryDelay(failure, attempt, SEND_BACKOFF.baseMs, SEND_BACKOFF.capMs));
      }
    }
  }

  edit(messageId: string, body: string, options?: RequestOptions): Promise<MessageUpdateResult> {
    return this.request('message:edit', { messageId, body }, options);
  }

  delete(messageId: string, options?: RequestOptions): Promise<MessageUpdateResult> {
    return this.request('message:delete', { messageId }, options);
  }

  markRead(roomId: string, seq: number, options?: RequestOptions): Promise<MessageReadResult> {
    return this.request('message:read', { roomId, seq }, options);
  }

  /** Adds your reaction; adding it again changes nothing (`changed: false`). */
  react(messageId: string, emoji: string, options?: RequestOptions): Promise<ReactionResult> {
    return this.request('reaction:add', { messageId, emoji }, options);
  }

  /** Takes your reaction back; removing one you do not have changes nothing. */
  unreact(messageId: string, emoji: string, options?: RequestOptions): Promise<ReactionResult> {
    return this.request('reaction:remove', { messageId, emoji }, options);
  }

  /** Fire-and-forget: a lost typing signal is replaced by the next one. */
  typing(roomId: string, isTyping: boolean): void {
    if (this.socket.connected) this.socket.volatile.emit('typing', { roomId, isTyping });
  }

  // ---- socket events --------------------------------------------------------

  private listen(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      this.connection.connected();
      for (const room of this.rooms.values()) void room.resume();
    });
    socket.on('disconnect', (reason) => this.connection.disconnected(reason));
    socket.on('connect_error', (error) => this.connection.connectFailed(error));
    socket.io.on('reconnect_failed', () => this.connection.reconnectFailed());
    socket.on('session', (session) => {
      this.connection.sessionStarted(session);
      this.events.emit('session', session);
    });
    socket.on('message:new', (message) => this.handleMessage(message));
    socket.on('message:updated', (message) => this.events.emit('message:updated', message));
    socket.on('message:reactions', (event) => this.events.emit('message:reactions', event));
    // On the user channel: arrives for rooms this socket has not joined too.
    socket.on('mention', (event) => this.events.emit('mention', event));
    socket.on('typing', (event) => this.events.emit('typing', event));
    socket.on('receipt', (event) => this.events.emit('receipt', event));
    socket.on('presence', (event) => this.events.emit('presence', event));
    socket.on('room:added', (event) => this.events.emit('room:added', event));
    socket.on('room:updated', (event) => this.events.emit('room:updated', event));
    socket.on('user:updated', (event) => this.events.emit('user:updated', event));
    socket.on('session:ended', (event) => {
      // The server closes the connection next ('io server disconnect': no automatic reconnect).
      const code = event.reason === 'suspended' ? 'FORBIDDEN' : 'UNAUTHORIZED';
      this.failures.emit('error', new ChatSocketError({ code, message: event.message }));
      this.events.emit('session:ended', event);
    });
    socket.on('room:removed', (event) => {
      // The server has already unsubscribed every socket of ours: nothing more will arrive, and a rejoin would be refused.
      this.forget(event.roomId);
      this.events.emit('room:removed', event);
    });
  }

  private handleMessage(message: Message): void {
    const room = this.rooms.get(message.roomId);
    if (room) room.accept(message);
    else this.events.emit('message:new', message);
  }

  // ---- rooms ---------------------------------------------------------------

  private roomOf(roomId: string): RoomSubscription {
    let room = this.rooms.get(roomId);
    if (room) return room;
    room = new RoomSubscription({
      roomId,
      gapGraceMs: this.gapGraceMs,
      join: (options) => this.request('room:join', { roomId }, options),
      fetchAfter: (after) => this.http.history(roomId, { after, limit: Limits.HISTORY_PAGE_MAX }),
      deliver: (message) => this.events.emit('message:new', message),
      report: (error) => this.failures.emit('error', error),
      isOffline: () => this.connection.state === 'offline',
      ended: () => this.forget(roomId),
      asChatError,
    });
    this.rooms.set(roomId, room);
    return room;
  }

  private forget(roomId: string): void {
    this.rooms.get(roomId)?.close();
    this.rooms.delete(roomId);
  }
}
