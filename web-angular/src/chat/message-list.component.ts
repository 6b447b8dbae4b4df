import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  input,
  output,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { Message } from '@chat/contracts';

import { fileSize } from '../shared/file-size';
import { MessageBubbleComponent } from './message-bubble.component';
import { OutboxEntry, uploadsDone } from './outbox';
import { isSystem, systemText } from './system-message';

/** Within this many pixels of an edge counts as at it. */
const EDGE_PX = 80;

/**
 * The scrolling timeline. Sticks to the bottom while the user is there; keeps what they are reading
 * in place when older messages are added above; asks for older ones near the top.
 */
@Component({
  selector: 'app-message-list',
  imports: [MessageBubbleComponent, MatButtonModule],
  templateUrl: './message-list.component.html',
  styleUrl: './message-list.component.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageListComponent {
  readonly messages = input.required<readonly Message[]>();
  readonly pending = input<readonly OutboxEntry[]>([]);
  readonly myUserId = input<string | null>(null);
  readonly seenBy = input<ReadonlyMap<number, string[]>>(new Map());
  readonly hasOlder = input(false);
  readonly loadingOlder = input(false);
  readonly hasNewer = input(false);
  readonly loadingNewer = input(false);
  /** A message to scroll to and mark once it is shown (the room was opened at a search hit). */
  readonly focusSeq = input<number | null>(null);
  readonly browserOffline = input(false);
  /** An archived room: messages can no longer be edited or deleted. */
  readonly readOnly = input(false);

  readonly loadOlder = output<void>();
  readonly loadNewer = output<void>();
  readonly atBottom = output<boolean>();
  readonly edit = output<{ message: Message; body: string }>();
  readonly remove = output<Message>();
  readonly retry = output<string>();
  readonly discard = output<string>();

  protected systemLabel(message: Message): string {
    return isSystem(message) ? systemText(message, this.myUserId()) : '';
  }

  private readonly viewport = viewChild.required<ElementRef<HTMLElement>>('viewport');
  private stickToBottom = true;
  /** Distance from the content's bottom to the viewport's top, kept when older messages are added. */
  private fromBottom = 0;
  private firstSeq: number | undefined;
  /** The focus seq already scrolled to: scrolling happens once per focus, then the user scrolls. */
  private focused: number | null = null;

  constructor() {
    afterRenderEffect({
      write: () => {
        const messages = this.messages();
        this.pending();
        const element = this.viewport().nativeElement;
        const prepended =
          this.firstSeq !== undefined && messages[0] !== undefined && messages[0].seq < this.firstSeq;
        this.firstSeq = messages[0]?.seq;
        if (this.scrollToFocus(element)) return;
        if (this.stickToBottom) element.scrollTop = element.scrollHeight;
        else if (prepended) element.scrollTop = element.scrollHeight - this.fromBottom;
        // A short first page leaves nothing to scroll: fetch more until the view fills or history ends.
        if (element.scrollHeight <= element.clientHeight && this.hasOlder() && !this.loadingOlder()) {
          this.loadOlder.emit();
        }
      },
    });
  }

  protected onScroll(): void {
    const element = this.viewport().nativeElement;
    this.fromBottom = element.scrollHeight - element.scrollTop;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < EDGE_PX;
    if (atBottom !== this.stickToBottom) {
      this.stickToBottom = atBottom;
      this.atBottom.emit(atBottom);
    }
    if (element.scrollTop < EDGE_PX && this.hasOlder() && !this.loadingOlder()) this.loadOlder.emit();
    if (atBottom && this.hasNewer() && !this.loadingNewer()) this.loadNewer.emit();
  }

  /** Centres the focused message the first time it is rendered, and stops sticking to the bottom. */
  private scrollToFocus(element: HTMLElement): boolean {
    const seq = this.focusSeq();
    if (seq === null) {
      // Opened at the newest again (the list is reused from room to room): follow the bottom.
      if (this.focused !== null) this.stickToBottom = true;
      this.focused = null;
      return false;
    }
    if (this.focused === seq) return false;
    const bubble = element.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
    if (!bubble) return false;
    this.focused = seq;
    this.stickToBottom = false;
    this.atBottom.emit(false);
    bubble.scrollIntoView({ block: 'center' });
    this.fromBottom = element.scrollHeight - element.scrollTop;
    return true;
  }

  protected readonly size = fileSize;

  protected pendingLabel(entry: OutboxEntry): string {
    if (entry.status === 'failed') return `Not sent: ${entry.error ?? 'failed'}`;
    if (entry.status === 'sending') return 'Sending…';
    if (!uploadsDone(entry)) return 'Uploading…';
    return this.browserOffline() ? 'Waiting for connection…' : 'Sending…';
  }
}
