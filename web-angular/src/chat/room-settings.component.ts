import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';

import { Limits, Member, MyRoom } from '@chat/contracts';

import { errorText } from '../shared/error-text';
import { userLabel } from '../shared/user-label';
import { ChatRoomStore } from './chat-room.store';

type Confirming = 'archive' | 'delete' | null;

/**
 * A group room's settings, for its owner and admins: name and topic, members with the actions the
 * caller's role allows (promote, demote, hand over, remove, ban), archive and delete behind a
 * confirmation. The server decides; buttons only hide what would be refused anyway.
 */
@Component({
  selector: 'app-room-settings',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 class="settings__title">Room settings</h2>
    @if (error(); as message) {
      <p class="settings__error" role="alert">{{ message }}</p>
    }
    @if (canManage() && !archived()) {
      <form class="settings__form" (submit)="$event.preventDefault(); save()">
        <mat-form-field appearance="outline">
          <mat-label>Room name</mat-label>
          <input
            matInput
            name="name"
            [value]="name()"
            (input)="name.set($any($event.target).value)"
            [attr.maxlength]="limits.ROOM_NAME_MAX"
          />
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Topic</mat-label>
          <textarea
            matInput
            name="topic"
            rows="2"
            [value]="topic()"
            (input)="topic.set($any($event.target).value)"
            [attr.maxlength]="limits.ROOM_TOPIC_MAX"
          ></textarea>
        </mat-form-field>
        <button matButton="filled" type="submit" [disabled]="busy()">Save</button>
      </form>
    }

    <h3 class="settings__subtitle">Members</h3>
    <ul class="settings__members" aria-label="Manage members">
      @for (member of members(); track member.user.id) {
        <li class="settings__member" [attr.data-user]="member.user.username">
          <span class="settings__name">{{ label(member) }}</span>
          <span class="settings__role" data-testid="role">{{ member.role }}</span>
          @if (!archived() && member.user.id !== myUserId()) {
            <span class="settings__actions">
              @if (isOwner() && member.role === 'member') {
                <button matButton type="button" (click)="act(store.setRole(member.user.id, 'admin'))">
                  Make admin
                </button>
              }
              @if (isOwner() && member.role === 'admin') {
                <button matButton type="button" (click)="act(store.setRole(member.user.id, 'member'))">
                  Remove admin
                </button>
              }
              @if (isOwner()) {
                <button matButton type="button" (click)="act(store.transfer(member.user.id))">
                  Make owner
                </button>
              }
              @if (canModerate(member)) {
                <button matButton type="button" (click)="act(store.removeMember(member.user.id))">
                  Remove
                </button>
                <button matButton type="button" (click)="act(store.ban(member.user.id))">Ban</button>
              }
            </span>
          }
        </li>
      }
    </ul>

    @if (isOwner()) {
      <h3 class="settings__subtitle">Danger zone</h3>
      @switch (confirming()) {
        @case ('archive') {
          <p role="alert">Archive “{{ room().name }}”? Nobody can write in it until you unarchive it.</p>
          <button matButton="filled" type="button" (click)="archive()">Archive room</button>
          <button matButton type="button" (click)="confirming.set(null)">Cancel</button>
        }
        @case ('delete') {
          <p role="alert">
            Delete “{{ room().name }}” with all its messages and files, for everyone? This cannot be undone.
          </p>
          <button matButton="filled" type="button" class="settings__danger" (click)="deleteRoom()">
            Delete forever
          </button>
          <button matButton type="button" (click)="confirming.set(null)">Cancel</button>
        }
        @default {
          @if (archived()) {
            <button matButton="outlined" type="button" (click)="act(store.setArchived(false))">
              Unarchive
            </button>
          } @else {
            <button matButton="outlined" type="button" (click)="confirming.set('archive')">Archive…</button>
          }
          <button
            matButton="outlined"
            type="button"
            class="settings__danger"
            (click)="confirming.set('delete')"
          >
            Delete room…
          </button>
        }
      }
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 12px 16px;
    }
    .settings__title {
      margin: 0 0 8px;
      font: var(--mat-sys-title-small);
    }
    .settings__subtitle {
      margin: 16px 0 4px;
      font: var(--mat-sys-label-large);
    }
    .settings__form {
      display: flex;
      flex-direction: column;
    }
    .settings__members {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .settings__member {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
      padding: 4px 0;
    }
    .settings__role {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .settings__error,
    .settings__danger {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomSettingsComponent {
  protected readonly store = inject(ChatRoomStore);
  private readonly router = inject(Router);

  readonly room = input.required<MyRoom>();
  readonly members = input.required<readonly Member[]>();
  readonly myUserId = input<string | null>(null);

  protected readonly limits = Limits;
  protected readonly name = signal('');
  protected readonly topic = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly confirming = signal<Confirming>(null);
  protected readonly isOwner = computed(() => this.room().role === 'owner');
  protected readonly canManage = computed(() => this.room().role !== 'member');
  protected readonly archived = computed(() => this.room().archivedAt !== null);

  constructor() {
    // The form shows the room as it is, also after someone else renamed it.
    effect(() => {
      const { name, topic } = this.room();
      untracked(() => {
        this.name.set(name);
        this.topic.set(topic ?? '');
      });
    });
  }

  protected label(member: Member): string {
    return userLabel(member.user);
  }

  /** Admins act on plain members only; the owner on anyone but themselves. */
  protected canModerate(member: Member): boolean {
    return this.isOwner() || (this.room().role === 'admin' && member.role === 'member');
  }

  protected save(): Promise<boolean> {
    const name = this.name().trim();
    const topic = this.topic().trim();
    const room = this.room();
    return this.act(
      this.store.update({
        ...(name !== room.name && { name }),
        ...(topic !== (room.topic ?? '') && { topic: topic || null }),
      }),
    );
  }

  protected async archive(): Promise<void> {
    this.confirming.set(null);
    await this.act(this.store.setArchived(true));
  }

  protected async deleteRoom(): Promise<void> {
    this.confirming.set(null);
    if (await this.act(this.store.deleteRoom())) await this.router.navigateByUrl('/');
  }

  /** Runs an action, showing its refusal; true when it succeeded. */
  protected async act(action: Promise<void>): Promise<boolean> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await action;
      return true;
    } catch (error) {
      this.error.set(errorText(error));
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
