import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  computed,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { Message, UserRef } from '@chat/contracts';

import { fileSize } from '../shared/file-size';
import { MessageBubbleComponent } from './message-bubble.component';
import { OutboxEntry, uploadsDone } from './outbox';
import { isSystem, systemText } from './system-message';
import { buildTimeline } from './timeline';

/** Within this many pixels of an edge counts as at it. */
const EDGE_PX = 80;

/**
 * The scrolling timeline: day separators, grouped messages, a "New messages" divider. Sticks to
 * the bottom while the user is there (else offers "Jump to latest"); keeps what they are reading in
 * place when older messages are added above; asks for older ones near the top.
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
  readonly me = input<Pick<UserRef, 'id' | 'username'> | null>(null);
  /** Labels of the room's loaded members by id, for "who reacted". */
  readonly names = input<ReadonlyMap<string, string>>(new Map());
  /** Where the "New messages" divider goes; null for none. */
  readonly firstUnreadSeq = input<number | null>(null);
  /** The message whose editor is open. */
  readonly editingId = input<string | null>(null);
  readonly seenBy = input<ReadonlyMap<number, string[]>>(new Map());
  readonly hasOlder = input(false);
  readonly loadingOlder = input(false);
  readonly hasNewer = input(false);
  readonly loadingNewer = input(false);
  /** A message to scroll to and mark once it is shown (the room was opened at a search hit). */
  readonly focusSeq = input<number | null>(null);
  readonly browserOffline = input(false);
  /** Thread summaries and "Reply" under messages: the main timeline, not the thread panel. */
  readonly threadActions = input(true);
  readonly unreadReplies = input<ReadonlyMap<string, number>>(new Map());
  /** An archived room: messages can no longer be edited or deleted. */
  readonly readOnly = input(false);

  readonly loadOlder = output<void>();
  readonly loadNewer = output<void>();
  /** "Jump to latest" while the newest messages are not loaded (opened at a search hit). */
  readonly openLatest = output<void>();
  readonly atBottom = output<boolean>();
  readonly edit = output<{ message: Message; body: string }>();
  readonly remove = output<Message>();
  readonly editingIdChange = output<string | null>();
  readonly openThread = output<Message>();
  readonly react = output<{ message: Message; emoji: string; add: boolean }>();
  readonly retry = output<string>();
  readonly discard = output<string>();

  protected systemLabel(message: Message): string {
    return isSystem(message) ? systemText(message, this.myUserId()) : '';
  }

  private readonly viewport = viewChild.required<ElementRef<HTMLElement>>('viewport');
  protected readonly items = computed(() =>
    buildTimeline(this.messages(), { firstUnreadSeq: this.firstUnreadSeq() }),
  );
  /** Scrolled away from the newest messages: "Jump to latest" shows. */
  protected readonly scrolledUp = signal(false);
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
      this.scrolledUp.set(!atBottom);
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
    this.scrolledUp.set(true);
    this.atBottom.emit(false);
    bubble.scrollIntoView({ block: 'center' });
    this.fromBottom = element.scrollHeight - element.scrollTop;
    return true;
  }

  protected jumpToLatest(): void {
    if (this.hasNewer()) {
      this.openLatest.emit();
      return;
    }
    const element = this.viewport().nativeElement;
    element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
  }

  protected readonly size = fileSize;

  protected pendingLabel(entry: OutboxEntry): string {
    if (entry.status === 'failed') return `Not sent: ${entry.error ?? 'failed'}`;
    if (entry.status === 'sending') return 'Sending…';
    if (!uploadsDone(entry)) return 'Uploading…';
    return this.browserOffline() ? 'Waiting for connection…' : 'Sending…';
  }
}
