import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { filter, merge as mergeStreams } from 'rxjs';

import { Limits, Message } from '@chat/contracts';
import { ReactionVersions } from '@chat/sdk';

import { ChatConnection } from '../realtime/chat-connection';
import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';
import { ChatRoomStore } from './chat-room.store';
import { ComposerDraft } from './composer.component';
import { mergeMessages } from './message-merge';
import { Outbox } from './outbox';

/**
 * The thread open beside a room's timeline: its root and replies (paged from history, then live),
 * and the replies the user wrote that wait in the outbox. Provided per room page, next to
 * ChatRoomStore, which it tells which thread is on screen (so its replies are not counted unread).
 */
@Injectable()
export class ThreadStore {
  private readonly api = inject(ChatApi);
  private readonly connection = inject(ChatConnection);
  private readonly outbox = inject(Outbox);
  private readonly room = inject(ChatRoomStore);
  private generation = 0;
  private reactionVersions = new ReactionVersions();

  readonly rootId = signal<string | null>(null);
  /** Root first, then replies by seq (the server pages them together). */
  readonly messages = signal<readonly Message[]>([]);
  readonly loading = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly hasOlder = signal(false);
  readonly loadingOlder = signal(false);
  readonly pending = computed(() =>
    this.outbox
      .entries()
      .filter((entry) => entry.threadRootId !== undefined && entry.threadRootId === this.rootId()),
  );

  constructor() {
    const destroyRef = inject(DestroyRef);
    const inThread = (message: Message) =>
      this.rootId() !== null && (message.id === this.rootId() || message.threadRootId === this.rootId());
    mergeStreams(this.connection.messages, this.outbox.delivered, this.connection.updates)
      .pipe(filter(inThread), takeUntilDestroyed(destroyRef))
      .subscribe((message) => this.merge([message]));
    this.connection.reactions.pipe(takeUntilDestroyed(destroyRef)).subscribe((event) => {
      if (!this.messages().some((message) => message.id === event.messageId)) return;
      if (this.reactionVersions.accept(event))
        this.messages.update((messages) =>
          messages.map((message) =>
            message.id === event.messageId ? { ...message, reactions: event.reactions } : message,
          ),
        );
    });
  }

  async open(roomId: string, rootId: string): Promise<void> {
    const generation = ++this.generation;
    this.rootId.set(rootId);
    this.messages.set([]);
    this.reactionVersions = new ReactionVersions();
    this.loadError.set(null);
    this.loading.set(true);
    this.room.threadOpened(rootId);
    try {
      const page = await this.api.http.history(roomId, {
        threadRootId: rootId,
        limit: Limits.HISTORY_PAGE_DEFAULT,
      });
      if (generation !== this.generation) return;
      this.merge(page.messages);
      this.hasOlder.set(page.hasMore);
      this.room.threadOpened(
        rootId,
        page.messages.map((message) => message.senderId),
      );
    } catch (error) {
      if (generation === this.generation) this.loadError.set(errorText(error));
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  close(): void {
    this.generation++;
    this.rootId.set(null);
    this.messages.set([]);
    this.room.threadOpened(null);
  }

  async loadOlder(): Promise<void> {
    const roomId = this.room.roomId();
    const rootId = this.rootId();
    const oldest = this.messages()[0]?.seq;
    if (!roomId || !rootId || !oldest || !this.hasOlder() || this.loadingOlder()) return;
    this.loadingOlder.set(true);
    try {
      const page = await this.api.http.history(roomId, {
        threadRootId: rootId,
        before: oldest,
        limit: Limits.HISTORY_PAGE_DEFAULT,
      });
      if (rootId !== this.rootId()) return;
      this.merge(page.messages);
      this.hasOlder.set(page.hasMore);
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loadingOlder.set(false);
    }
  }

  send(draft: ComposerDraft): void {
    const roomId = this.room.roomId();
    const rootId = this.rootId();
    if (roomId && rootId) this.outbox.enqueue(roomId, draft.body, draft.files, rootId);
  }

  /** Adds or takes back a reaction on a message of the thread. */
  async react(messageId: string, emoji: string, add: boolean): Promise<void> {
    const result = await this.connection.react(messageId, emoji, add);
    this.messages.update((messages) =>
      messages.map((message) =>
        message.id === messageId ? { ...message, reactions: result.reactions } : message,
      ),
    );
  }

  async edit(messageId: string, body: string): Promise<void> {
    const { message } = await this.connection.edit(messageId, body);
    this.merge([message]);
  }

  async delete(messageId: string): Promise<void> {
    const { message } = await this.connection.delete(messageId);
    this.merge([message]);
  }

  private merge(messages: readonly Message[]): void {
    this.messages.update((current) => mergeMessages(current, messages));
  }
}
