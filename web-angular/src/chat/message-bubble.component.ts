import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  effect,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { Limits, Message, UserRef } from '@chat/contracts';

import { AvatarComponent } from '../shared/avatar';
import { userLabel } from '../shared/user-label';
import { renderMarkdown } from './markdown';
import { MessageAttachmentsComponent } from './message-attachments.component';
import { ReactionBarComponent } from './reaction-bar.component';
import { timeAgo } from './timeline';

/**
 * One stored message. The body is rendered from the markdown subset (`markdown.ts`: raw HTML is
 * escaped, only http(s)/mailto links survive) and bound through Angular's sanitiser as a second
 * guard. The first message of a group shows avatar and name; the ones after it only the body.
 * Own messages can be edited (also opened from outside: Up-arrow in the composer) and deleted
 * after a confirmation.
 */
@Component({
  selector: 'app-message-bubble',
  imports: [DatePipe, MatButtonModule, AvatarComponent, MessageAttachmentsComponent, ReactionBarComponent],
  templateUrl: './message-bubble.component.html',
  styleUrl: './message-bubble.component.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'bubble-host',
    '[class.bubble-host--mine]': 'mine()',
    '[class.bubble-host--continued]': 'continued()',
  },
})
export class MessageBubbleComponent {
  readonly message = input.required<Message>();
  readonly mine = input(false);
  /** A later message of the same group: no avatar or name. */
  readonly continued = input(false);
  /** The reader, so mentions of them stand out and their reactions show as theirs. */
  readonly me = input<Pick<UserRef, 'id' | 'username'> | null>(null);
  /** Labels of the room's loaded members by id, for "who reacted". */
  readonly names = input<ReadonlyMap<string, string>>(new Map());
  /** False in an archived room: own messages can no longer be changed. */
  readonly editable = input(true);
  /** Names of the members whose read marker is on this message. */
  readonly seenBy = input<readonly string[]>([]);
  readonly editing = input(false);
  /** In the main timeline: the thread summary and "Reply"; not inside the thread panel. */
  readonly threadActions = input(true);
  /** Replies not yet seen in this thread (one the user took part in). */
  readonly unreadReplies = input(0);
  readonly openThread = output<void>();
  readonly editingChange = output<boolean>();
  readonly edited = output<string>();
  readonly deleted = output<void>();
  readonly reacted = output<{ emoji: string; add: boolean }>();

  protected readonly maxLength = Limits.MESSAGE_BODY_MAX;
  protected readonly draft = signal('');
  protected readonly confirmingDelete = signal(false);
  /** The reaction picker is open under the message. */
  protected readonly choosingReaction = signal(false);
  protected readonly senderName = computed(() => {
    const { sender } = this.message();
    return sender.deleted ? 'Deleted user' : sender.displayName || sender.username;
  });
  protected readonly senderLabel = computed(() => userLabel(this.message().sender));
  protected readonly isDeleted = computed(() => this.message().deletedAt !== null);
  protected readonly html = computed(() => renderMarkdown(this.message().body, this.me()?.username).trim());
  /** Mentions as the server resolved them (members only, not inside code). */
  protected readonly mentionsMe = computed(() => {
    const me = this.me();
    return !this.mine() && !!me && this.message().mentions.includes(me.id);
  });
  protected readonly myUserId = computed(() => this.me()?.id ?? null);
  protected readonly lastReply = computed(() => {
    const at = this.message().lastReplyAt;
    return at ? timeAgo(at, new Date()) : '';
  });
  private readonly editor = viewChild<ElementRef<HTMLTextAreaElement>>('editor');
  private readonly confirmButton = viewChild('confirmButton', { read: ElementRef<HTMLElement> });

  constructor() {
    effect(() => {
      if (this.editing()) this.draft.set(this.message().body);
    });
    effect(() => this.editor()?.nativeElement.focus());
    effect(() => this.confirmButton()?.nativeElement.focus());
  }

  protected saveEdit(): void {
    const body = this.draft();
    this.editingChange.emit(false);
    if (body.trim() && body !== this.message().body) this.edited.emit(body);
  }

  protected onDraftKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.editingChange.emit(false);
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.saveEdit();
    }
  }

  protected react(change: { emoji: string; add: boolean }): void {
    this.choosingReaction.set(false);
    this.reacted.emit(change);
  }

  protected confirmDelete(): void {
    this.confirmingDelete.set(false);
    this.deleted.emit();
  }
}
