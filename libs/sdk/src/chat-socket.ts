import { Socket, io } from 'socket.io-client';

import type {
  Ack,
  ClientAckResult,
  ClientEventName,
  ClientPayload,
  ClientToServerEvents,
  Message,
  MessageReadResult,
  MessageSendResult,
  MessageUpdateResult,
  RoomJoinResult,
  ServerEventName,
  ServerPayload,
  ServerToClientEvents,
  SessionEvent,
} from '@chat/contracts';

import { ChatSocketError, SdkErrorCode } from './errors';
import type { ChatHttpClient } from './http-client';
import { newClientMsgId } from './ids';
import { RoomFeed } from './room-feed';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

export interface ChatSocketOptions {
  baseUrl: string;
  /** Supplies the token for every handshake and fetches history for catch-up. */
  http: ChatHttpClient;
  transports?: ('websocket' | 'polling')[];
  reconnection?: boolean;
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
  /** How long to wait for an ack (default 5 s). */
  ackTimeoutMs?: number;
  /** How long connect() waits for a session, across automatic retries (default 20 s). */
  connectTimeoutMs?: number;
}

export interface SendOptions {
  /** Reuse to make a resend idempotent (the outbox does); generated otherwise. */
  clientMsgId?: string;
  /** Attempts after the first, on TIMEOUT, DISCONNECTED, UNAVAILABLE, INTERNAL or RATE_LIMITED (default 5). */
  retries?: number;
  timeoutMs?: number;
}

const RETRYABLE = new Set<SdkErrorCode>(['TIMEOUT', 'DISCONNECTED', 'UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED']);
const HISTORY_PAGE = 200;
/** Bounds one catch-up; a room further behind than this is better reloaded than replayed. */
const MAX_CATCH_UP_PAGES = 50;

type Handler<E extends ServerEventName> = (payload: ServerPayload<E>) => void;

/**
 * One Socket.IO connection, typed by the contract. Beyond emit/ack it keeps what a chat client must
 * not get wrong: each joined room's messages are delivered once, in seq order, with no gap — across
 * reconnects to any instance — by merging live events with `history(after = last seq)`.
 */
export class ChatSocket {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly http: ChatHttpClient;
  private readonly ackTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly handlers = new Map<ServerEventName, Set<Handler<never>>>();
  private readonly stateHandlers = new Set<(state: ConnectionState) => void>();
  private readonly feeds = new Map<string, RoomFeed>();
  /** Live messages of rooms whose join ack is still on its way. */
  private readonly joining = new Map<string, Message[]>();
  private readonly filling = new Set<string>();
  private currentState: ConnectionState = 'offline';
  private currentSession: SessionEvent | null = null;
  private hasConnected = false;

  constructor(options: ChatSocketOptions) {
    this.http = options.http;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
    this.socket = io(options.baseUrl, {
      path: '/socket.io',
      autoConnect: false,
      // The token travels in the handshake body, re-read on every reconnect; never in the URL.
      auth: (callback) => callback({ token: this.http.getToken() }),
      transports: options.transports,
      reconnection: options.reconnection ?? true,
      reconnectionDelay: options.reconnectionDelay ?? 500,
      reconnectionDelayMax: options.reconnectionDelayMax ?? 5_000,
    });
    this.socket.on('connect', () => {
      this.setState('online');
      if (this.hasConnected) void this.resync();
      this.hasConnected = true;
    });
    this.socket.on('disconnect', () => this.setState(this.socket.active ? 'reconnecting' : 'offline'));
    this.socket.on('connect_error', () => this.setState(this.socket.active ? 'reconnecting' : 'offline'));
    this.socket.on('session', (session) => {
      this.currentSession = session;
      this.dispatch('session', session);
    });
    this.socket.on('message:new', (message) => this.onLiveMessage(message));
    for (const event of ['message:updated', 'typing', 'receipt', 'presence'] as const) {
      this.socket.on(event, ((payload: never) => this.dispatch(event, payload)) as never);
    }
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The instance this socket is connected to (from the last `session` event). */
  get instanceId(): string | null {
    return this.currentSession?.instanceId ?? null;
  }

  /** The highest seq delivered for a joined room. */
  lastSeq(roomId: string): number | undefined {
    return this.feeds.get(roomId)?.lastDeliveredSeq;
  }

  /**
   * Connects and resolves with the session once the server accepted the handshake. Rejects at once
   * if the server refuses (UNAUTHORIZED…); transport failures are retried until connectTimeoutMs.
   */
  connect(): Promise<SessionEvent> {
    if (this.socket.connected && this.currentSession) return Promise.resolve(this.currentSession);
    this.setState('connecting');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new ChatSocketError('TIMEOUT', 'Could not connect in time')), this.connectTimeoutMs);
      const onSession = (session: SessionEvent) => settle(null, session);
      const onError = (error: Error & { data?: { code?: SdkErrorCode; message?: string } }) => {
        if (this.socket.active) return; // a transport failure: socket.io retries by itself
        settle(new ChatSocketError(error.data?.code ?? 'UNAUTHORIZED', error.data?.message ?? error.message));
      };
      const settle = (error: ChatSocketError | null, session?: SessionEvent) => {
        clearTimeout(timer);
        this.socket.off('session', onSession);
        this.socket.off('connect_error', onError);
        if (error) {
          this.socket.disconnect();
          this.setState('offline');
          reject(error);
        } else resolve(session!);
      };
      this.socket.on('session', onSession);
      this.socket.on('connect_error', onError);
      this.socket.connect();
    });
  }

  disconnect(): void {
    this.socket.disconnect();
    this.feeds.clear();
    this.joining.clear();
    this.setState('offline');
  }

  /** Emits a client event and resolves with its ack's result, or throws ChatSocketError. */
  async request<E extends ClientEventName>(
    event: E,
    payload: ClientPayload<E>,
    options: { timeoutMs?: number } = {},
  ): Promise<ClientAckResult<E>> {
    if (!this.socket.connected) throw new ChatSocketError('DISCONNECTED', 'Not connected');
    const timeoutMs = options.timeoutMs ?? this.ackTimeoutMs;
    let ack: Ack<ClientAckResult<E>>;
    try {
      // socket.io's typings cannot follow a generic event name through emitWithAck.
      ack = await (this.socket.timeout(timeoutMs) as unknown as AckEmitter).emitWithAck(event, payload);
    } catch {
      throw new ChatSocketError(this.socket.connected ? 'TIMEOUT' : 'DISCONNECTED', `No ack for ${event} in ${timeoutMs} ms`);
    }
    if (!ack || typeof ack !== 'object') throw new ChatSocketError('INTERNAL', `Malformed ack for ${event}`);
    if (!ack.ok) throw new ChatSocketError(ack.error.code, ack.error.message, ack.error.fields, ack.error.retryAfter);
    const { ok: _ok, ...result } = ack;
    return result as unknown as ClientAckResult<E>;
  }

  /**
   * Subscribes to a room's live events. Messages are delivered from `sinceSeq + 1` on (default: the
   * room's last seq at join time, i.e. only new ones), catching up from history when needed.
   */
  async join(roomId: string, options: { sinceSeq?: number } = {}): Promise<RoomJoinResult> {
    this.joining.set(roomId, this.joining.get(roomId) ?? []);
    let result: RoomJoinResult;
    try {
      result = await this.request('room:join', { roomId });
    } catch (error) {
      this.joining.delete(roomId);
      throw error;
    }
    const early = this.joining.get(roomId) ?? [];
    this.joining.delete(roomId);
    let feed = this.feeds.get(roomId);
    if (!feed) {
      feed = this.createFeed(roomId, options.sinceSeq ?? result.lastSeq);
      this.feeds.set(roomId, feed);
    }
    feed.pushAll(early);
    if (feed.lastDeliveredSeq < result.lastSeq) void this.catchUp(roomId);
    return result;
  }

  async leave(roomId: string): Promise<void> {
    this.feeds.delete(roomId);
    await this.request('room:leave', { roomId });
  }

  /**
   * Sends a message, retrying with the same clientMsgId until acked: the server stores it once
   * however many attempts reach it. Resolves once it is committed.
   */
  async send(roomId: string, body: string, options: SendOptions = {}): Promise<MessageSendResult> {
    const clientMsgId = options.clientMsgId ?? newClientMsgId();
    const retries = options.retries ?? 5;
    const timeoutMs = options.timeoutMs ?? this.ackTimeoutMs;
    let backoffMs = 100;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.socket.connected) await this.waitForConnection(timeoutMs);
        const result = await this.request('message:send', { roomId, body, clientMsgId }, { timeoutMs });
        this.feeds.get(roomId)?.push(result.message);
        return result;
      } catch (error) {
        const failure = error instanceof ChatSocketError ? error : new ChatSocketError('INTERNAL', String(error));
        if (!RETRYABLE.has(failure.code) || attempt >= retries) throw failure;
        const waitMs = failure.code === 'RATE_LIMITED' && failure.retryAfter ? failure.retryAfter * 1_000 : backoffMs;
        await delay(waitMs);
        backoffMs = Math.min(backoffMs * 2, 2_000);
      }
    }
  }

  edit(messageId: string, body: string): Promise<MessageUpdateResult> {
    return this.request('message:edit', { messageId, body });
  }

  delete(messageId: string): Promise<MessageUpdateResult> {
    return this.request('message:delete', { messageId });
  }

  markRead(roomId: string, seq: number): Promise<MessageReadResult> {
    return this.request('message:read', { roomId, seq });
  }

  /** Fire-and-forget: a lost typing signal is harmless, so it is not buffered while offline. */
  typing(roomId: string, isTyping: boolean): void {
    this.socket.volatile.emit('typing', { roomId, isTyping });
  }

  /** Typed subscription; `message:new` arrives once per message, in seq order per joined room. */
  on<E extends ServerEventName>(event: E, handler: Handler<E>): () => void {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler as Handler<never>);
    this.handlers.set(event, set);
    return () => set.delete(handler as Handler<never>);
  }

  onState(handler: (state: ConnectionState) => void): () => void {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  private createFeed(roomId: string, sinceSeq: number): RoomFeed {
    return new RoomFeed(
      sinceSeq,
      (message) => this.dispatch('message:new', message),
      () => void this.catchUp(roomId),
    );
  }

  private onLiveMessage(message: Message): void {
    const early = this.joining.get(message.roomId);
    if (early) early.push(message);
    const feed = this.feeds.get(message.roomId);
    if (feed) feed.push(message);
    else if (!early) this.dispatch('message:new', message);
  }

  /** Fetches `after = last delivered seq` until the room is complete; one run per room at a time. */
  private async catchUp(roomId: string): Promise<void> {
    if (this.filling.has(roomId)) return;
    this.filling.add(roomId);
    try {
      for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
        const feed = this.feeds.get(roomId);
        if (!feed) return;
        const { messages, hasMore } = await this.http.history(roomId, { after: feed.lastDeliveredSeq, limit: HISTORY_PAGE });
        feed.pushAll(messages);
        if (!hasMore || messages.length === 0) return;
      }
    } catch {
      // Offline or the API is unreachable: the next reconnect (resync) or the next gap tries again.
    } finally {
      this.filling.delete(roomId);
    }
  }

  /** After a reconnect, possibly to another instance: re-subscribe every room and fill what was missed. */
  private async resync(): Promise<void> {
    await Promise.all(
      [...this.feeds.keys()].map(async (roomId) => {
        try {
          await this.request('room:join', { roomId });
        } catch (error) {
          const code = (error as ChatSocketError).code;
          if (code === 'FORBIDDEN' || code === 'NOT_FOUND') this.feeds.delete(roomId);
          return;
        }
        await this.catchUp(roomId);
      }),
    );
  }

  private waitForConnection(timeoutMs: number): Promise<void> {
    if (!this.socket.active) return Promise.reject(new ChatSocketError('DISCONNECTED', 'Socket is closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('connect', onConnect);
        reject(new ChatSocketError('DISCONNECTED', 'Still disconnected'));
      }, timeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      this.socket.once('connect', onConnect);
    });
  }

  private dispatch<E extends ServerEventName>(event: E, payload: ServerPayload<E>): void {
    for (const handler of this.handlers.get(event) ?? []) (handler as Handler<E>)(payload);
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const handler of this.stateHandlers) handler(state);
  }
}

interface AckEmitter {
  emitWithAck(event: string, payload: unknown): Promise<never>;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
