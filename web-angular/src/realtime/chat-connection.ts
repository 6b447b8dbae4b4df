import { DOCUMENT } from '@angular/common';
import {
  DestroyRef,
  Injectable,
  InjectionToken,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { Subject } from 'rxjs';

import {
  MentionEvent,
  Message,
  MessageReactionsEvent,
  MessageSendResult,
  MessageUpdateResult,
  PresenceEvent,
  ReactionResult,
  ReceiptEvent,
  RoomAddedEvent,
  RoomRemovedEvent,
  RoomUpdatedEvent,
  TypingEvent,
  UserUpdatedEvent,
} from '@chat/contracts';
import { ChatError, ChatSocket, ConnectionState, SocketFactory } from '@chat/sdk';

import { AuthStore } from '../auth/auth-store';
import { ChatApi } from '../shared/chat-api';

/** How sockets are made; unset, socket.io-client's `io`. Tests provide a fake. */
export const SOCKET_FACTORY = new InjectionToken<SocketFactory | undefined>('SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => undefined,
});

/** Two quick retries per send; after those the outbox, not the SDK, decides when to resend. */
const SEND_RETRIES = 2;

/**
 * The one Socket.IO connection of the signed-in user, over the SDK. Components never touch the
 * socket: they read `state` and the event streams, and call the methods below.
 *
 * Rooms the app wants live events for are `watch`ed once; the SDK joins them, re-joins and fills
 * gaps from history after every reconnect (whichever instance the connection lands on), and drops
 * those the user loses access to.
 */
@Injectable({ providedIn: 'root' })
export class ChatConnection {
  private readonly auth = inject(AuthStore);
  private readonly api = inject(ChatApi);
  private readonly socketFactory = inject(SOCKET_FACTORY);
  private readonly window = inject(DOCUMENT).defaultView;
  private socket: ChatSocket | null = null;
  private readonly stopListening: (() => void)[] = [];

  private readonly connectionState = signal<ConnectionState>('offline');
  private readonly instance = signal<string | null>(null);
  readonly state = this.connectionState.asReadonly();
  readonly online = computed(() => this.connectionState() === 'online');
  /** The API instance this browser is connected to (the last one while reconnecting). */
  readonly instanceId = this.instance.asReadonly();
  /** Set when the browser itself reports no network. */
  readonly browserOffline = signal(false);

  /** Each message of a watched room once, in seq order per room, including catch-up after reconnects. */
  readonly messages = new Subject<Message>();
  readonly updates = new Subject<Message>();
  /** Reactions of a message changed (carries a version: keep the highest seen). */
  readonly reactions = new Subject<MessageReactionsEvent>();
  /** A message mentions the user, or came in a direct conversation: on any instance, any room. */
  readonly mentions = new Subject<MentionEvent>();
  readonly typing = new Subject<TypingEvent>();
  readonly receipts = new Subject<ReceiptEvent>();
  readonly presence = new Subject<PresenceEvent>();
  readonly roomsAdded = new Subject<RoomAddedEvent>();
  /** The user was removed or banned from a room, or it was deleted: its events have stopped. */
  readonly roomsRemoved = new Subject<RoomRemovedEvent>();
  /** A room's name, topic, owner, archive state or members changed. */
  readonly roomsUpdated = new Subject<RoomUpdatedEvent>();
  /** Someone in the user's rooms changed their display name. */
  readonly usersUpdated = new Subject<UserUpdatedEvent>();
  /** Emits each time the connection comes (back) online. */
  readonly reconnected = new Subject<void>();

  constructor() {
    // A new connection per signed-in user; a renewed token of the same user is handed to the open one.
    const userId = computed(() => this.auth.user()?.id ?? null);
    effect(() => {
      const signedIn = userId() !== null;
      untracked(() => (signedIn ? this.open() : this.close()));
    });
    effect(() => {
      const token = this.auth.token();
      untracked(() => {
        if (token && this.socket?.connected) this.socket.refreshAuth(token).catch(() => undefined);
      });
    });
    this.listenToBrowserNetwork();
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Subscribes to a room's live events, delivering messages after `sinceSeq`. Idempotent. */
  watch(roomId: string, sinceSeq: number): void {
    this.socket?.subscribe(roomId, { sinceSeq });
  }

  /** Stops live events of a room the user left. */
  unwatch(roomId: string): void {
    this.socket?.leave(roomId).catch(() => undefined);
  }

  send(
    roomId: string,
    body: string,
    clientMsgId: string,
    attachmentIds?: string[],
    threadRootId?: string,
  ): Promise<MessageSendResult> {
    return this.requireSocket().send(roomId, body, {
      clientMsgId,
      attachmentIds,
      threadRootId,
      retries: SEND_RETRIES,
    });
  }

  edit(messageId: string, body: string): Promise<MessageUpdateResult> {
    return this.requireSocket().edit(messageId, body);
  }

  delete(messageId: string): Promise<MessageUpdateResult> {
    return this.requireSocket().delete(messageId);
  }

  react(messageId: string, emoji: string, add: boolean): Promise<ReactionResult> {
    const socket = this.requireSocket();
    return add ? socket.react(messageId, emoji) : socket.unreact(messageId, emoji);
  }

  async markRead(roomId: string, seq: number): Promise<void> {
    if (this.socket?.connected) await this.socket.markRead(roomId, seq);
  }

  setTyping(roomId: string, isTyping: boolean): void {
    this.socket?.typing(roomId, isTyping);
  }

  private open(): void {
    this.close();
    const socket = this.api.client.socket(this.socketFactory ? { socketFactory: this.socketFactory } : {});
    this.socket = socket;
    this.stopListening.push(
      socket.onState((state) => this.handleState(state)),
      socket.on('session', (session) => this.instance.set(session.instanceId)),
      socket.on('message:new', (message) => this.messages.next(message)),
      socket.on('message:updated', (message) => this.updates.next(message)),
      socket.on('message:reactions', (event) => this.reactions.next(event)),
      socket.on('mention', (event) => this.mentions.next(event)),
      socket.on('typing', (event) => this.typing.next(event)),
      socket.on('receipt', (event) => this.receipts.next(event)),
      socket.on('presence', (event) => this.presence.next(event)),
      socket.on('room:added', (event) => this.roomsAdded.next(event)),
      // The server is about to close the connection: the token expired, was revoked, or the account suspended.
      socket.on('session:ended', (event) =>
        this.auth.expire(event.reason === 'expired' ? undefined : event.message),
      ),
      socket.on('room:removed', (event) => this.roomsRemoved.next(event)),
      socket.on('room:updated', (event) => this.roomsUpdated.next(event)),
      socket.on('user:updated', (event) => this.usersUpdated.next(event)),
      socket.onError((error) => this.handleFailure(error)),
    );
    if (!this.browserOffline()) this.connect(socket);
  }

  private close(): void {
    for (const stop of this.stopListening.splice(0)) stop();
    this.socket?.disconnect();
    this.socket = null;
    this.connectionState.set('offline');
    this.instance.set(null);
  }

  private connect(socket: ChatSocket): void {
    this.connectionState.set('connecting');
    socket.connect().catch((error: unknown) => this.handleFailure(error));
  }

  private handleState(state: ConnectionState): void {
    this.connectionState.set(state);
    if (state === 'online') this.reconnected.next();
  }

  private handleFailure(error: unknown): void {
    if (error instanceof ChatError && error.code === 'UNAUTHORIZED') this.auth.expire();
  }

  private requireSocket(): ChatSocket {
    if (!this.socket) throw new Error('Not signed in');
    return this.socket;
  }

  /**
   * The browser knows before the socket's heartbeat does: go offline at once, and reconnect the
   * moment the network returns instead of waiting out the reconnection backoff.
   */
  private listenToBrowserNetwork(): void {
    const view = this.window;
    if (!view) return;
    const goOffline = () => {
      this.browserOffline.set(true);
      this.socket?.disconnect();
    };
    const goOnline = () => {
      this.browserOffline.set(false);
      if (this.socket && !this.socket.connected) this.connect(this.socket);
    };
    if (view.navigator.onLine === false) this.browserOffline.set(true);
    view.addEventListener('offline', goOffline);
    view.addEventListener('online', goOnline);
    inject(DestroyRef).onDestroy(() => {
      view.removeEventListener('offline', goOffline);
      view.removeEventListener('online', goOnline);
    });
  }
}
