import { Message, MessagePage } from '@chat/contracts';

export interface RoomFeedOptions {
  /** Seq of the last message the consumer already has; delivery starts at `lastSeq + 1`. */
  lastSeq: number;
  deliver: (message: Message) => void;
  /** One page of messages with seq > `afterSeq`, ascending. */
  fetchAfter: (afterSeq: number) => Promise<MessagePage>;
}

export type AcceptOutcome = 'delivered' | 'duplicate' | 'buffered';

/**
 * Turns one room's live `message:new` stream into exactly-once, in-seq-order delivery.
 * Messages ahead of a gap wait in a buffer until history fills the gap.
 */
export class RoomFeed {
  private last: number;
  private readonly buffer = new Map<number, Message>();
  private filling: Promise<void> | null = null;
  private fillAgain = false;
  private closed = false;

  constructor(private readonly options: RoomFeedOptions) {
    this.last = options.lastSeq;
  }

  /** Highest seq delivered with no gap below it. */
  get lastSeq(): number {
    return this.last;
  }

  /** True while messages wait for a gap to be filled. */
  get hasGap(): boolean {
    return this.buffer.size > 0;
  }

  /**
   * Offers a live message. `buffered` means a gap precedes it: call `catchUp()`.
   * A message arriving while a fill is running makes that fill go round once more, since the
   * history it already read may predate the message's predecessors.
   */
  accept(message: Message): AcceptOutcome {
    const outcome = this.place(message);
    if (outcome === 'buffered' && this.filling) this.fillAgain = true;
    return outcome;
  }

  /**
   * Reads history from `lastSeq` until the server has nothing newer, delivering in order.
   * Concurrent calls share one fill. Rejects with the fetch error; the buffer is kept for the next try.
   */
  catchUp(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.filling) {
      this.fillAgain = true;
      return this.filling;
    }
    const fill = this.fill().finally(() => {
      this.filling = null;
    });
    this.filling = fill;
    return fill;
  }

  /**
   * Gives up on the gap: delivers the buffered messages in seq order. Used when history cannot
   * fill it, so live messages do not wait behind a hole forever.
   */
  skipGap(): void {
    const pending = [...this.buffer.values()].sort((a, b) => a.seq - b.seq);
    this.buffer.clear();
    for (const message of pending) {
      if (message.seq > this.last) this.emit(message);
    }
  }

  /** Stops all delivery; a fill in flight finishes silently. */
  close(): void {
    this.closed = true;
    this.buffer.clear();
  }

  private async fill(): Promise<void> {
    do {
      this.fillAgain = false;
      let cursor = this.last;
      let hasMore = true;
      while (hasMore && !this.closed) {
        const page = await this.options.fetchAfter(cursor);
        for (const message of page.messages) this.place(message);
        const newest = page.messages.at(-1)?.seq ?? cursor;
        // Move past a hole in the page too; a page that does not advance ends the fill rather than loop.
        hasMore = page.hasMore && newest > cursor;
        cursor = Math.max(cursor, this.last, newest);
      }
    } while (this.fillAgain && !this.closed);
    // History was read after every buffered message arrived: what it lacks does not exist.
    if (!this.closed && this.hasGap) this.skipGap();
  }

  private place(message: Message): AcceptOutcome {
    if (this.closed || message.seq <= this.last || this.buffer.has(message.seq)) return 'duplicate';
    if (message.seq > this.last + 1) {
      this.buffer.set(message.seq, message);
      return 'buffered';
    }
    this.emit(message);
    return 'delivered';
  }

  private emit(message: Message): void {
    this.last = message.seq;
    this.options.deliver(message);
    for (
      let next = this.buffer.get(this.last + 1);
      next && !this.closed;
      next = this.buffer.get(this.last + 1)
    ) {
      this.buffer.delete(next.seq);
      this.last = next.seq;
      this.options.deliver(next);
    }
  }
}
