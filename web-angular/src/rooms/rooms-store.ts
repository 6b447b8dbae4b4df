import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { CreateRoomRequest, MyRoom, NotifyLevel, Room } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
import { ChatConnection } from '../realtime/chat-connection';
import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';
import {
  sortByActivity,
  withIncomingMessage,
  withMention,
  withReadUpTo,
  withUpdatedMessage,
} from './room-summaries';

/**
 * The signed-in user's rooms, with unread counts and last messages kept live: every room is
 * watched on the socket, so a message anywhere moves the list.
 */
@Injectable({ providedIn: 'root' })
export class RoomsStore {
  private readonly auth = inject(AuthStore);
  private readonly api = inject(ChatApi);
  private readonly connection = inject(ChatConnection);
  private loadGeneration = 0;

  private readonly list = signal<MyRoom[]>([]);
  readonly rooms = this.list.asReadonly();
  readonly loaded = signal(false);
  readonly loadError = signal<string | null>(null);
  /** The room on screen, whose messages are read as they arrive. */
  readonly readingRoomId = signal<string | null>(null);
  readonly totalUnread = computed(() => this.list().reduce((sum, room) => sum + room.unreadCount, 0));
  /** Unread messages outside muted rooms: the count the page title leads with. */
  readonly notifiableUnread = computed(() =>
    this.list().reduce((sum, room) => sum + (room.notify === 'none' ? 0 : room.unreadCount), 0),
  );

  constructor() {
    effect(() => {
      const userId = this.auth.user()?.id;
      untracked(() => {
        this.list.set([]);
        this.loaded.set(false);
        if (userId) void this.load();
      });
    });
    const destroyRef = inject(DestroyRef);
    this.connection.messages.pipe(takeUntilDestroyed(destroyRef)).subscribe((message) => {
      if (!this.list().some((room) => room.id === message.roomId)) {
        void this.load();
        return;
      }
      this.list.update((rooms) =>
        withIncomingMessage(rooms, message, {
          myUserId: this.auth.user()?.id ?? '',
          readingRoomId: this.readingRoomId(),
        }),
      );
    });
    this.connection.mentions.pipe(takeUntilDestroyed(destroyRef)).subscribe((event) => {
      if (event.reason === 'mention' && this.readingRoomId() !== event.roomId)
        this.list.update((rooms) => withMention(rooms, event.roomId));
    });
    this.connection.updates
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((message) => this.list.update((rooms) => withUpdatedMessage(rooms, message)));
    this.connection.roomsAdded.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => void this.load());
    this.connection.roomsRemoved.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => void this.load());
    // A rename, a new topic, owner or role, an archive: the list carries all of them (and my role).
    this.connection.roomsUpdated.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => void this.load());
    // Rooms may have been added while the connection was down; counts are refreshed with them.
    this.connection.reconnected.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => void this.load());
  }

  byId(roomId: string): MyRoom | undefined {
    return this.list().find((room) => room.id === roomId);
  }

  async load(): Promise<void> {
    const generation = ++this.loadGeneration;
    try {
      const rooms = await this.api.http.myRooms();
      if (generation !== this.loadGeneration) return; // a newer load is on its way
      this.list.set(sortByActivity(rooms));
      this.loadError.set(null);
      for (const room of rooms) this.connection.watch(room.id, room.lastSeq);
    } catch (error) {
      if (generation === this.loadGeneration) this.loadError.set(errorText(error));
    } finally {
      if (generation === this.loadGeneration) this.loaded.set(true);
    }
  }

  /** Creates a group room; resolves once it is listed and watched. */
  async create(request: CreateRoomRequest): Promise<Room> {
    return this.listed(await this.api.http.createRoom(request));
  }

  /** Joins a public room; resolves once it is listed and watched. */
  async join(roomId: string): Promise<void> {
    await this.api.http.joinRoom(roomId);
    await this.added(roomId);
  }

  /** The direct room with someone, created on first use; resolves once it is listed and watched. */
  async openDirect(userId: string): Promise<Room> {
    return this.listed(await this.api.http.directRoom(userId));
  }

  /** Leaves a room: its live events stop and it is gone from the list at once. */
  async leave(roomId: string): Promise<void> {
    await this.api.http.leaveRoom(roomId);
    this.connection.unwatch(roomId);
    this.removed(roomId);
  }

  /** A room the user just joined or created: listed and watched without waiting for a reload. */
  async added(roomId: string): Promise<void> {
    await this.load();
    if (!this.byId(roomId)) throw new Error('The room is not among your rooms');
  }

  private async listed(room: Room): Promise<Room> {
    await this.added(room.id);
    return room;
  }

  /** Stores the user's notification preference for a room (server-side, so every device follows it). */
  async setNotify(roomId: string, level: NotifyLevel): Promise<void> {
    const saved = await this.api.http.setNotificationPreference(roomId, level);
    this.list.update((rooms) =>
      rooms.map((room) => (room.id === roomId ? { ...room, notify: saved.level } : room)),
    );
  }

  markRead(roomId: string, seq: number): void {
    this.list.update((rooms) => withReadUpTo(rooms, roomId, seq));
  }

  /** After leaving: gone from the list at once. */
  removed(roomId: string): void {
    this.list.update((rooms) => rooms.filter((room) => room.id !== roomId));
  }
}
