import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { Limits, Message } from '@chat/contracts';

import { userLabel } from '../shared/user-label';
import { MessageAttachmentsComponent } from './message-attachments.component';

/**
 * One stored message. The body is bound as text, never as HTML: whatever people send shows verbatim.
 * Own messages can be edited and deleted in place.
 */
@Component({
  selector: 'app-message-bubble',
  imports: [DatePipe, MatButtonModule, MessageAttachmentsComponent],
  templateUrl: './message-bubble.component.html',
  styleUrl: './message-bubble.component.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'bubble-host',
    '[class.bubble-host--mine]': 'mine()',
  },
})
export class MessageBubbleComponent {
  readonly message = input.required<Message>();
  readonly mine = input(false);
  /** False in an archived room: own messages can no longer be changed. */
  readonly editable = input(true);
  /** Names of the members whose read marker is on this message. */
  readonly seenBy = input<readonly string[]>([]);
  readonly edited = output<string>();
  readonly deleted = output<void>();

  protected readonly maxLength = Limits.MESSAGE_BODY_MAX;
  protected readonly editing = signal(false);
  protected readonly draft = signal('');
  protected readonly senderName = computed(() => {
    const { sender } = this.message();
    return sender.deleted ? 'Deleted user' : sender.displayName || sender.username;
  });
  protected readonly senderLabel = computed(() => userLabel(this.message().sender));
  protected readonly isDeleted = computed(() => this.message().deletedAt !== null);

  protected startEdit(): void {
    this.draft.set(this.message().body);
    this.editing.set(true);
  }

  protected saveEdit(): void {
    const body = this.draft();
    this.editing.set(false);
    if (body.trim() && body !== this.message().body) this.edited.emit(body);
  }

  protected onDraftKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.editing.set(false);
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.saveEdit();
    }
  }
}
