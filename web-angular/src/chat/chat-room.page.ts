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
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';

import { Message, User } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
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
    RouterLink,
    MessageListComponent,
    ComposerComponent,
    MembersPanelComponent,
    RoomSettingsComponent,
    UserPickerComponent,
  ],
  providers: [ChatRoomStore],
  templateUrl: './chat-room.page.html',
  styleUrl: './chat-room.page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatRoomPage {
  private readonly auth = inject(AuthStore);
  private readonly rooms = inject(RoomsStore);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  private readonly document = inject(DOCUMENT);
  protected readonly store = inject(ChatRoomStore);
  protected readonly connection = inject(ChatConnection);

  /** From the route (`rooms/:roomId`). */
  readonly roomId = input.required<string>();
  /** From the query (`?around=<seq>`, a search hit): open the room at that message. */
  readonly around = input<string | undefined>();

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
  private readonly atBottom = signal(true);
  private readonly pageVisible = signal(true);

  constructor() {
    effect(() => {
      const roomId = this.roomId();
      const around = Number(this.around());
      untracked(() => {
        this.showAddMember.set(false);
        this.showSettings.set(false);
        void this.store.open(roomId, Number.isSafeInteger(around) && around > 0 ? around : null);
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

  protected async edit(message: Message, body: string): Promise<void> {
    await this.store.edit(message.id, body).catch((error: unknown) => this.tell(errorText(error)));
  }

  protected async remove(message: Message): Promise<void> {
    await this.store.delete(message.id).catch((error: unknown) => this.tell(errorText(error)));
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
