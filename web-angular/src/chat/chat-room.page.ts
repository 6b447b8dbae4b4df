import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { Message, User } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
import { defaultNotifyLevel } from '../notifications/notification-rules';
import { Notifier } from '../notifications/notifier';
import { UserPickerComponent } from '../people/user-picker.component';
import { ChatConnection } from '../realtime/chat-connection';
import { roomTitle } from '../rooms/room-summaries';
import { RoomsStore } from '../rooms/rooms-store';
import { errorText } from '../shared/error-text';
import { ChatRoomStore } from './chat-room.store';
import { ComposerComponent } from './composer.component';
import { MembersPanelComponent } from './members-panel.component';
import { MessageListComponent } from './message-list.component';
import { RoomSettingsComponent } from './room-settings.component';
import { ThreadStore } from './thread.store';

const REMOVED_NOTICE = {
  removed: 'You were removed from this room',
  banned: 'You were banned from this room',
  deleted: 'This room was deleted',
} as const;

/** One room: timeline, composer, typing line, members; owners of private rooms can add people. */
@Component({
  selector: 'app-chat-room-page',
  imports: [
    MatButtonModule,
    MatSlideToggleModule,
    RouterLink,
    MessageListComponent,
    ComposerComponent,
    MembersPanelComponent,
    RoomSettingsComponent,
    UserPickerComponent,
  ],
  providers: [ChatRoomStore, ThreadStore],
  templateUrl: './chat-room.page.html',
  styleUrl: './chat-room.page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatRoomPage {
  private readonly auth = inject(AuthStore);
  private readonly rooms = inject(RoomsStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly snackBar = inject(MatSnackBar);
  private readonly document = inject(DOCUMENT);
  protected readonly store = inject(ChatRoomStore);
  protected readonly thread = inject(ThreadStore);
  protected readonly connection = inject(ChatConnection);
  protected readonly notifier = inject(Notifier);

  /** From the route (`rooms/:roomId`). */
  readonly roomId = input.required<string>();
  /** From the query (`?around=<seq>`, a search hit): open the room at that message. */
  readonly around = input<string | undefined>();
  /** From the query (`?thread=<root id>`): the thread open beside the timeline. */
  readonly threadId = input<string | undefined>(undefined, { alias: 'thread' });
  /** The message whose editor is open in the thread panel. */
  protected readonly threadEditingId = signal<string | null>(null);

  protected readonly title = computed(() => {
    const room = this.store.room();
    return room ? roomTitle(room) : '';
  });
  /** Owners and admins run a group room (direct rooms have neither). */
  protected readonly canManage = computed(() => {
    const room = this.store.room();
    return room?.kind === 'group' && room.role !== 'member';
  });
  /** Owners manage integrations; the server checks it again on every call. */
  protected readonly isOwner = computed(() => {
    const room = this.store.room();
    return room?.kind === 'group' && room.role === 'owner';
  });
  protected readonly archived = computed(() => Boolean(this.store.room()?.archivedAt));
  protected readonly canAddMembers = computed(() => this.canManage() && !this.archived());
  protected readonly showMembers = signal(false);
  protected readonly showSettings = signal(false);
  protected readonly showAddMember = signal(false);
  /** The message whose editor is open (at most one). */
  protected readonly editingId = signal<string | null>(null);
  protected readonly memberUsers = computed(() => this.store.members().map((member) => member.user));
  protected readonly me = computed(() => this.auth.user() ?? null);
  private readonly composer = viewChild.required(ComposerComponent);
  private readonly atBottom = signal(true);
  private readonly pageVisible = signal(true);

  constructor() {
    effect(() => {
      const roomId = this.roomId();
      const around = Number(this.around());
      untracked(() => {
        this.showAddMember.set(false);
        this.editingId.set(null);
        this.showSettings.set(false);
        void this.store.open(roomId, Number.isSafeInteger(around) && around > 0 ? around : null);
      });
    });
    effect(() => {
      const roomId = this.roomId();
      const rootId = this.threadId();
      untracked(() => {
        this.threadEditingId.set(null);
        if (rootId) void this.thread.open(roomId, rootId);
        else if (this.thread.rootId()) this.thread.close();
      });
    });
    // Removed, banned, or the room deleted, while looking at it: say so and leave the page.
    this.connection.roomsRemoved.pipe(takeUntilDestroyed()).subscribe((event) => {
      if (event.roomId !== this.store.roomId()) return;
      this.tell(REMOVED_NOTICE[event.reason]);
      void this.router.navigateByUrl('/');
    });
    // Read while the user can see the newest messages: the tab is visible and scrolled to the bottom.
    effect(() => {
      const reading = this.pageVisible() && this.atBottom();
      const roomId = this.store.roomId();
      this.rooms.readingRoomId.set(reading ? roomId : null);
      if (reading && this.store.lastSeq() > 0) untracked(() => void this.store.markRead());
    });
    const onVisibility = () => this.pageVisible.set(this.document.visibilityState !== 'hidden');
    this.document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => {
      this.document.removeEventListener('visibilitychange', onVisibility);
      this.rooms.readingRoomId.set(null);
    });
  }

  protected onAtBottom(atBottom: boolean): void {
    this.atBottom.set(atBottom);
  }

  protected openThread(root: Message): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { thread: root.id },
      queryParamsHandling: 'merge',
    });
  }

  protected closeThread(): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { thread: null },
      queryParamsHandling: 'merge',
    });
  }

  protected async reactInThread(message: Message, emoji: string, add: boolean): Promise<void> {
    await this.thread.react(message.id, emoji, add).catch((error: unknown) => this.tell(errorText(error)));
  }

  protected async editInThread(message: Message, body: string): Promise<void> {
    await this.thread.edit(message.id, body).catch((error: unknown) => this.tell(errorText(error)));
  }

  protected async removeInThread(message: Message): Promise<void> {
    await this.thread.delete(message.id).catch((error: unknown) => this.tell(errorText(error)));
  }

  /** Leaves the search hit the room was opened at for its newest messages. */
  protected openLatest(): void {
    void this.router.navigate(['/rooms', this.roomId()]);
  }

  protected editLast(): void {
    const last = this.store.lastOwnMessage();
    if (last) this.editingId.set(last.id);
  }

  protected setEditing(messageId: string | null): void {
    this.editingId.set(messageId);
    // Closing an editor (Escape, Save, Cancel) returns to where the user writes.
    if (messageId === null) this.composer().focus();
  }

  protected async edit(message: Message, body: string): Promise<void> {
    await this.store.edit(message.id, body).catch((error: unknown) => this.tell(errorText(error)));
  }

  protected async react(message: Message, emoji: string, add: boolean): Promise<void> {
    await this.store.react(message.id, emoji, add).catch((error: unknown) => this.tell(errorText(error)));
  }

  protected async remove(message: Message): Promise<void> {
    await this.store.delete(message.id).catch((error: unknown) => this.tell(errorText(error)));
  }

  /** Mute: no notifications and no count in the title; unmuting returns to the room kind's default. */
  protected async setMuted(muted: boolean): Promise<void> {
    const room = this.store.room();
    if (!room) return;
    await this.rooms
      .setNotify(room.id, muted ? 'none' : defaultNotifyLevel(room.kind))
      .catch((error: unknown) => this.tell(errorText(error)));
  }

  protected async addMember(user: User): Promise<void> {
    try {
      await this.store.addMember(user);
      this.tell(`${user.displayName || user.username} was added`);
      this.showAddMember.set(false);
      this.showMembers.set(true);
    } catch (error) {
      this.tell(errorText(error));
    }
  }

  protected async leave(): Promise<void> {
    const roomId = this.store.roomId();
    if (!roomId) return;
    try {
      await this.rooms.leave(roomId);
      await this.router.navigateByUrl('/');
    } catch (error) {
      this.tell(errorText(error));
    }
  }

  private tell(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 5000 });
  }
}
