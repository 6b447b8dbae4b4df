import { Injectable, computed, inject, signal } from '@angular/core';

import { Limits, Room, SearchHit, UserRef } from '@chat/contracts';

import { roomTitle } from '../rooms/room-summaries';
import { RoomsStore } from '../rooms/rooms-store';
import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';
import { groupByRoom } from './search-results';

/** Typing pauses this long before a search goes out: a few searches per query, within the budget. */
const DEBOUNCE_MS = 300;

/** One search box's state: the words, the hits so far (grouped by room), people and rooms by name. */
@Injectable()
export class SearchStore {
  private readonly api = inject(ChatApi);
  private readonly rooms = inject(RoomsStore);
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to an older query (or page) are dropped. */
  private generation = 0;

  readonly query = signal('');
  private readonly hits = signal<SearchHit[]>([]);
  readonly people = signal<UserRef[]>([]);
  readonly publicRooms = signal<Room[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  /** The query the results shown belong to (null before the first answer). */
  readonly searched = signal<string | null>(null);
  readonly groups = computed(() => groupByRoom(this.hits(), (roomId) => this.titleOf(roomId)));
  readonly empty = computed(
    () =>
      this.searched() !== null &&
      !this.loading() &&
      this.hits().length === 0 &&
      this.people().length === 0 &&
      this.publicRooms().length === 0,
  );

  /** Called on every keystroke: searches once typing pauses. */
  type(text: string): void {
    this.query.set(text);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), DEBOUNCE_MS);
  }

  /** Searches the current words now (Enter, or once typing paused). */
  async search(): Promise<void> {
    clearTimeout(this.timer);
    const q = this.query().trim().slice(0, Limits.SEARCH_QUERY_MAX);
    const generation = ++this.generation;
    if (!q) {
      this.reset();
      return;
    }
    this.loading.set(true);
    this.error.set(null);
    try {
      const results = await this.api.http.search({ q });
      if (generation !== this.generation) return;
      this.hits.set(results.hits);
      this.people.set(results.people);
      this.publicRooms.set(results.rooms);
      this.nextCursor.set(results.nextCursor);
      this.searched.set(q);
    } catch (error) {
      if (generation === this.generation) this.error.set(errorText(error));
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** The next page of hits of the query shown. */
  async more(): Promise<void> {
    const q = this.searched();
    const cursor = this.nextCursor();
    if (!q || !cursor || this.loading()) return;
    const generation = ++this.generation;
    this.loading.set(true);
    try {
      const results = await this.api.http.search({ q, cursor });
      if (generation !== this.generation) return;
      this.hits.update((hits) => [...hits, ...results.hits]);
      this.nextCursor.set(results.nextCursor);
    } catch (error) {
      if (generation === this.generation) this.error.set(errorText(error));
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  isMember(roomId: string): boolean {
    return this.rooms.byId(roomId) !== undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
  }

  private reset(): void {
    this.hits.set([]);
    this.people.set([]);
    this.publicRooms.set([]);
    this.nextCursor.set(null);
    this.searched.set(null);
    this.loading.set(false);
    this.error.set(null);
  }

  private titleOf(roomId: string): string {
    const room = this.rooms.byId(roomId);
    return room ? roomTitle(room) : 'A room';
  }
}
