import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';

import { Message } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
import { ChatConnection } from '../realtime/chat-connection';
import { RoomsStore } from '../rooms/rooms-store';
import { NotifyReason, defaultNotifyLevel, notificationFor } from './notification-rules';
import { UnreadTitleStrategy } from './unread-title';

/** Message ids already notified, so a mention that is also a new message in an `all` room shows once. */
const REMEMBERED = 200;

/**
 * Browser notifications for the signed-in user: mentions and direct messages (the server's
 * `mention` event, on any instance) and, in rooms set to `all`, every message, while the tab is
 * hidden. Permission is asked only when the user clicks "Enable notifications", never on load.
 * Clicking a notification brings the tab forward on that message's room (and thread). Also leads
 * the page title with the unread count of the rooms not muted.
 */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly document = inject(DOCUMENT);
  private readonly router = inject(Router);
  private readonly auth = inject(AuthStore);
  private readonly rooms = inject(RoomsStore);
  private readonly notified: string[] = [];
  private readonly api = this.document.defaultView?.Notification;

  private readonly permissionState = signal<NotificationPermission | 'unsupported'>(
    this.api ? this.api.permission : 'unsupported',
  );
  readonly permission = this.permissionState.asReadonly();
  /** The browser supports notifications and the user was never asked: offer the button. */
  readonly canAsk = computed(() => this.permissionState() === 'default');

  constructor() {
    const connection = inject(ChatConnection);
    const destroyRef = inject(DestroyRef);
    const title = inject(UnreadTitleStrategy);
    effect(() => title.unread.set(this.rooms.notifiableUnread()));
    connection.mentions
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((event) => this.consider(event.message, event.reason));
    connection.messages
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((message) => this.consider(message, 'message'));
  }

  /** Call from a click handler: browsers only show the prompt for a user gesture. */
  async askPermission(): Promise<void> {
    if (!this.api) return;
    this.permissionState.set(await this.api.requestPermission());
  }

  private consider(message: Message, reason: NotifyReason): void {
    const myUserId = this.auth.user()?.id;
    if (!this.api || this.permissionState() !== 'granted' || !myUserId) return;
    // A first direct message can come before the room list has the new room: notify as its default.
    const room =
      this.rooms.byId(message.roomId) ??
      (reason === 'direct'
        ? { name: '', kind: 'direct' as const, peer: message.sender, notify: defaultNotifyLevel('direct') }
        : null);
    if (!room) return;
    if (this.notified.includes(message.id)) return;
    const text = notificationFor({
      message,
      reason,
      room,
      myUserId,
      tabHidden: this.document.visibilityState === 'hidden',
    });
    if (!text) return;
    this.notified.push(message.id);
    if (this.notified.length > REMEMBERED) this.notified.shift();
    const notification = new this.api(text.title, { body: text.body, tag: text.tag });
    notification.onclick = () => {
      this.document.defaultView?.focus();
      notification.close();
      void this.router.navigate(['/rooms', message.roomId], {
        queryParams: message.threadRootId ? { thread: message.threadRootId } : {},
      });
    };
  }
}
