import { ManagerOptions, Socket, SocketOptions, io } from 'socket.io-client';

import {
  AuthRefreshResult,
  ClientAckResult,
  ClientEventName,
  ClientPayload,
  ClientToServerEvents,
  HistoryQuery,
  Limits,
  Message,
  MessagePage,
  MessageReadResult,
  MessageSendResult,
  MessageUpdateResult,
  RoomJoinResult,
  ServerEventName,
  ServerPayload,
  ServerToClientEvents,
  SessionEvent,
} from '@chat/contracts';

import { ChatError, ChatSocketError, isErrorCode } from './errors';
import { EventHub } from './event-hub';
import { isTransient, retryDelay, sleep } from './retry-policy';
import { RoomFeed } from './room-feed';
import { randomUuid } from './uuid';

export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

export type SocketFactory = (
  uri: string | undefined,
  options: Partial<ManagerOptions & SocketOptions>,
) => TypedSocket;

/** The Socket.IO options a caller may tune; path, auth and autoConnect are the SDK's. */
export type ChatSocketTuning = Pick<
  Partial<ManagerOptions & SocketOptions>,
  | 'transports'
  | 'reconnection'
  | 'reconnectionAttempts'
  | 'reconnectionDelay'
  | 'reconnectionDelayMax'
  | 'randomizationFactor'
  | 'timeout'
  | 'withCredentials'
>;

export interface ChatSocketSettings extends ChatSocketTuning {
  /** Default ack timeout of `request()` and each `send()` attempt. 5000 ms. */
  requestTimeoutMs?: number;
  /**
   * How long a gap in a room's live seqs may stay open before it is filled from history. Messages sent
   * on other instances travel through Redis and routinely arrive a little after later ones; waiting a
   * moment avoids a history request per reordering (which, over many clients, is a request storm).
   * 1000 ms.
   */
  gapGraceMs?: number;
  /** Node only: the local address to connect from (load tests spread clients over 127.0.0.x). */
  localAddress?: string;
  /** Creates the underlying socket; defaults to socket.io-client's `io`. Tests pass a fake. */
  socketFactory?: SocketFactory;
}

/** What the socket needs from the REST client: the current token, and history for catch-up. */
export interface ChatSocketHttp {
  readonly token: string | null;
  history(roomId: string, query: HistoryQuery): Promise<MessagePage>;
}

export interface ChatSocketOptions extends ChatSocketSettings {
  baseUrl: string;
  http: ChatSocketHttp;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export interface JoinOptions extends RequestOptions {
  /** Deliver messages after this seq (catching up over HTTP) instead of only new ones. */
  sinceSeq?: number;
}

export interface SendOptions {
  /** Reuse to make a resend idempotent; generated once per `send()` otherwise. */
  clientMsgId?: string;
  /** Retries after the first attempt on transient failures. 5. */
  retries?: number;
  timeoutMs?: number;
}

type ServerPayloads = { [E in ServerEventName]: ServerPayload<E> };

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** socket.io's typed `emitWithAck` cannot follow a generic event name; the public signature keeps callers exact. */
interface UntypedAckEmitter {
  emitWithAck(event: string, payload: unknown): Promise<unknown>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const DEFAULT_GAP_GRACE_MS = 1_000;
const DEFAULT_SEND_RETRIES = 5;
const SEND_BACKOFF = { baseMs: 100, capMs: 2_000 };
const CATCH_UP_BACKOFF = { baseMs: 1_000, capMs: 30_000 };
/** Codes after which re-subscribing to a room is pointless: the user may no longer read it. */
const LOST_ROOM_CODES: ReadonlySet<string> = new Set(['FORBIDDEN', 'NOT_FOUND']);

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
  private readonly states = new EventHub<{ state: ConnectionState }>();
  private readonly failures = new EventHub<{ error: ChatError }>();
  private currentState: ConnectionState = 'offline';
  private lastSession: SessionEvent | null = null;
  private sessionReady = false;
  private hasConnected = false;
  private pendingConnect: Deferred<SessionEvent> | null = null;

  private readonly feeds = new Map<string, RoomFeed>();
  /** Messages for a room whose join ack is not back yet: its baseline seq is still unknown. */
  private readonly earlyMessages = new Map<string, Message[]>();
  private readonly catchUpsInFlight = new Set<string>();
  private readonly catchUpRetries = new Map<string, ReturnType<typeof setTimeout>>();
  /** Rooms with a live gap waiting for its grace period to end. */
  private readonly gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
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
    this.listen();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The API instance of the last session, kept after a disconnect. */
  get instanceId(): string | null {
    return this.lastSession?.instanceId ?? null;
  }

  get userId(): string | null {
    return this.lastSession?.userId ?? null;
  }

  /** Highest seq delivered in order for a joined room. */
  lastSeqOf(roomId: string): number | undefined {
    return this.feeds.get(roomId)?.lastSeq;
  }

  joinedRooms(): string[] {
    return [...this.feeds.keys()];
  }

  // ---- connection -----------------------------------------------------------

  /**
   * Resolves with the server's `session` event once connected. Rejects on the first
   * `connect_error`; a server refusal (e.g. `UNAUTHORIZED`) stops, a network failure keeps retrying.
   */
  connect(): Promise<SessionEvent> {
    const session = this.sessionReady ? this.lastSession : null;
    if (this.socket.connected && session) return Promise.resolve(session);
    if (!this.pendingConnect) {
      this.pendingConnect = deferred();
      if (this.currentState === 'offline') this.setState('connecting');
      this.socket.connect();
    }
    return this.pendingConnect.promise;
  }

  disconnect(): void {
    this.socket.disconnect();
    this.setState('offline');
    this.settleConnect(ChatSocketError.disconnected('Disconnected by the client'));
    for (const timer of this.catchUpRetries.values()) clearTimeout(timer);
    this.catchUpRetries.clear();
    for (const timer of this.gapTimers.values()) clearTimeout(timer);
    this.gapTimers.clear();
  }

  // ---- subscriptions --------------------------------------------------------

  /** `message:new` handlers see each message of a joined room once, in seq order. */
  on<E extends ServerEventName>(event: E, handler: (payload: ServerPayload<E>) => void): () => void {
    return this.events.on(event, handler);
  }

  /** Called on each change; read `state` for the current value. */
  onState(handler: (state: ConnectionState) => void): () => void {
    return this.states.on('state', handler);
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
  async join(roomId: string, options: JoinOptions = {}): Promise<RoomJoinResult> {
    const known = this.feeds.has(roomId);
    if (!known && !this.earlyMessages.has(roomId)) this.earlyMessages.set(roomId, []);
    let result: RoomJoinResult;
    try {
      result = await this.request('room:join', { roomId }, options);
    } catch (error) {
      if (!known) this.earlyMessages.delete(roomId);
      throw error;
    }
    let feed = this.feeds.get(roomId);
    if (!feed) {
      feed = this.track(roomId, options.sinceSeq ?? result.lastSeq);
      for (const message of this.earlyMessages.get(roomId) ?? []) feed.accept(message);
    }
    this.earlyMessages.delete(roomId);
    if (feed.hasGap || result.lastSeq > feed.lastSeq) this.runCatchUp(roomId);
    return result;
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
    const payload = { roomId, body, clientMsgId: options.clientMsgId ?? randomUuid() };
    const retries = options.retries ?? DEFAULT_SEND_RETRIES;
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.whenConnected(timeoutMs);
        return await this.request('message:send', payload, { timeoutMs });
      } catch (error) {
        const failure = asChatError(error);
        const giveUp = attempt >= retries || !isTransient(failure.code) || this.currentState === 'offline';
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

  /** Fire-and-forget: a lost typing signal is replaced by the next one. */
  typing(roomId: string, isTyping: boolean): void {
    if (this.socket.connected) this.socket.volatile.emit('typing', { roomId, isTyping });
  }

  // ---- socket events --------------------------------------------------------

  private listen(): void {
    const socket = this.socket;
    socket.on('connect', () => this.handleConnect());
    socket.on('disconnect', (reason) => this.handleDisconnect(reason));
    socket.on('connect_error', (error) => this.handleConnectError(error));
    socket.io.on('reconnect_failed', () => this.setState('offline'));

    socket.on('session', (session) => this.handleSession(session));
    socket.on('message:new', (message) => this.handleMessage(message));
    socket.on('message:updated', (message) => this.events.emit('message:updated', message));
    socket.on('typing', (event) => this.events.emit('typing', event));
    socket.on('receipt', (event) => this.events.emit('receipt', event));
    socket.on('presence', (event) => this.events.emit('presence', event));
    socket.on('room:added', (event) => this.events.emit('room:added', event));
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

  private handleConnect(): void {
    this.setState('online');
    if (this.hasConnected) this.resubscribe();
    this.hasConnected = true;
  }

  private handleSession(session: SessionEvent): void {
    this.lastSession = session;
    this.sessionReady = true;
    this.settleConnect(null, session);
    this.events.emit('session', session);
  }

  private handleDisconnect(reason: Socket.DisconnectReason): void {
    this.sessionReady = false;
    // After these two Socket.IO does not reconnect by itself.
    const final = reason === 'io client disconnect' || reason === 'io server disconnect';
    this.setState(final ? 'offline' : 'reconnecting');
    this.settleConnect(ChatSocketError.disconnected(`Disconnected: ${reason}`));
  }

  private handleConnectError(error: Error & { data?: unknown }): void {
    const retrying = this.socket.active && this.socket.io.reconnection();
    if (!retrying) this.setState('offline');
    else this.setState(this.hasConnected ? 'reconnecting' : 'connecting');
    const failure = connectFailure(error);
    // A refusal during an automatic reconnect (e.g. the token expired meanwhile) has no caller to reject.
    if (this.pendingConnect) this.settleConnect(failure);
    else if (!retrying) this.failures.emit('error', failure);
  }

  private handleMessage(message: Message): void {
    const feed = this.feeds.get(message.roomId);
    if (feed) {
      if (feed.accept(message) === 'buffered') this.fillGapUnlessItCloses(message.roomId);
      return;
    }
    const early = this.earlyMessages.get(message.roomId);
    if (early) early.push(message);
    else this.events.emit('message:new', message);
  }

  private setState(next: ConnectionState): void {
    if (next === this.currentState) return;
    this.currentState = next;
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

  private whenConnected(timeoutMs: number): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    if (this.currentState === 'offline') return Promise.reject(ChatSocketError.disconnected());
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

  // ---- rooms and catch-up ---------------------------------------------------

  private track(roomId: string, lastSeq: number): RoomFeed {
    const feed = new RoomFeed({
      lastSeq,
      deliver: (message) => this.events.emit('message:new', message),
      fetchAfter: (after) => this.http.history(roomId, { after, limit: Limits.HISTORY_PAGE_MAX }),
    });
    this.feeds.set(roomId, feed);
    return feed;
  }

  private forget(roomId: string): void {
    this.feeds.get(roomId)?.close();
    this.feeds.delete(roomId);
    this.earlyMessages.delete(roomId);
    clearTimeout(this.catchUpRetries.get(roomId));
    this.catchUpRetries.delete(roomId);
    clearTimeout(this.gapTimers.get(roomId));
    this.gapTimers.delete(roomId);
  }

  /**
   * After a reconnect the server may hold a fresh socket with no room subscriptions, and events
   * sent while away are lost unless the connection state was recovered: re-join, then read history.
   */
  private resubscribe(): void {
    for (const roomId of this.feeds.keys()) void this.rejoin(roomId);
  }

  private async rejoin(roomId: string): Promise<void> {
    try {
      await this.request('room:join', { roomId });
    } catch (error) {
      const failure = asChatError(error);
      this.failures.emit('error', failure);
      if (LOST_ROOM_CODES.has(failure.code)) {
        this.forget(roomId);
        return;
      }
    }
    this.runCatchUp(roomId);
  }

  /** Fills a live gap from history if the missing messages have not arrived within the grace period. */
  private fillGapUnlessItCloses(roomId: string): void {
    if (this.gapGraceMs <= 0) {
      this.runCatchUp(roomId);
      return;
    }
    if (this.gapTimers.has(roomId)) return;
    const timer = setTimeout(() => {
      this.gapTimers.delete(roomId);
      if (this.feeds.get(roomId)?.hasGap) this.runCatchUp(roomId);
    }, this.gapGraceMs);
    this.gapTimers.set(roomId, timer);
  }

  private runCatchUp(roomId: string, attempt = 0): void {
    const feed = this.feeds.get(roomId);
    if (!feed) return;
    if (this.catchUpsInFlight.has(roomId)) {
      // The running fill goes round once more; its owner handles any failure.
      feed.catchUp().catch(() => undefined);
      return;
    }
    clearTimeout(this.catchUpRetries.get(roomId));
    this.catchUpRetries.delete(roomId);
    this.catchUpsInFlight.add(roomId);
    feed.catchUp().then(
      () => this.catchUpsInFlight.delete(roomId),
      (error: unknown) => {
        this.catchUpsInFlight.delete(roomId);
        if (this.feeds.get(roomId) !== feed) return;
        const failure = asChatError(error);
        this.failures.emit('error', failure);
        if (!isTransient(failure.code)) {
          feed.skipGap();
          return;
        }
        if (this.currentState === 'offline') return;
        const delay = retryDelay(failure, attempt, CATCH_UP_BACKOFF.baseMs, CATCH_UP_BACKOFF.capMs);
        const timer = setTimeout(() => {
          this.catchUpRetries.delete(roomId);
          this.runCatchUp(roomId, attempt + 1);
        }, delay);
        this.catchUpRetries.set(roomId, timer);
      },
    );
  }
}

function socketUri(baseUrl: string): string | undefined {
  // The URL's path would be read as a Socket.IO namespace: connect to the origin, the path is fixed.
  try {
    return baseUrl ? new URL(baseUrl).origin : undefined;
  } catch {
    return undefined; // a relative base: same origin
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  // engine.io-client merges options over its defaults with Object.assign: an explicit undefined would erase one.
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A connect() nobody awaits must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function unwrapAck(event: string, ack: unknown): object {
  if (isObject(ack) && ack.ok === true) {
    const { ok: _ok, ...result } = ack;
    return result;
  }
  if (isObject(ack) && ack.ok === false && isObject(ack.error)) {
    const { code, message, fields, retryAfter } = ack.error;
    return throwError(
      new ChatSocketError({
        code: isErrorCode(code) ? code : 'INTERNAL',
        message: typeof message === 'string' ? message : `${event} failed`,
        fields: isObject(fields) ? (fields as Record<string, string[]>) : undefined,
        retryAfter: typeof retryAfter === 'number' ? retryAfter : undefined,
      }),
    );
  }
  return throwError(new ChatSocketError({ code: 'INTERNAL', message: `Malformed ack for ${event}` }));
}

function throwError(error: Error): never {
  throw error;
}

function ackFailure(event: string, timeoutMs: number, error: unknown): ChatSocketError {
  // socket.io-client rejects an ack promise only on timeout, or when the connection drops first.
  if (error instanceof Error && error.message === 'socket has been disconnected') {
    return ChatSocketError.disconnected(`Disconnected while waiting for the ack of ${event}`);
  }
  return ChatSocketError.timeout(event, timeoutMs);
}

function connectFailure(error: Error & { data?: unknown }): ChatSocketError {
  // The gateway refuses with message = the error code and data = the error body.
  const data = isObject(error.data) ? error.data : {};
  const code = isErrorCode(data.code)
    ? data.code
    : isErrorCode(error.message)
      ? error.message
      : 'UNAVAILABLE';
  const message = typeof data.message === 'string' ? data.message : error.message;
  return new ChatSocketError({ code, message });
}

function asChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ChatSocketError({ code: 'INTERNAL', message });
}
