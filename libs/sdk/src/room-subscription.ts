import { Message, MessagePage, RoomJoinResult } from '@chat/contracts';

import { RequestOptions } from './chat-socket-options';
import { ChatError } from './errors';
import { isTransient, retryDelay } from './retry-policy';
import { RoomFeed } from './room-feed';

const CATCH_UP_BACKOFF = { baseMs: 1_000, capMs: 30_000 };
/** Codes after which re-subscribing to a room is pointless: the user may no longer read it. */
const LOST_ROOM_CODES: ReadonlySet<string> = new Set(['FORBIDDEN', 'NOT_FOUND']);

export interface RoomSubscriptionOptions {
  roomId: string;
  /** How long a live gap may stay open before history fills it; 0 fills at once. */
  gapGraceMs: number;
  /** Asks the server to subscribe the connection (`room:join`). */
  join: (options: RequestOptions) => Promise<RoomJoinResult>;
  /** One page of messages with seq > `afterSeq`, ascending. */
  fetchAfter: (afterSeq: number) => Promise<MessagePage>;
  deliver: (message: Message) => void;
  /** Background failures no caller awaits. */
  report: (error: ChatError) => void;
  /** No retry is worth scheduling while the connection is closed for good. */
  isOffline: () => boolean;
  /** The subscription has ended (left, lost, or a first join failed): its owner drops it. */
  ended: () => void;
  /** Turns any rejection into a `ChatError`. */
  asChatError: (error: unknown) => ChatError;
}

/**
 * One room's subscription on a socket: the join, the messages that arrive before the join ack (its
 * baseline seq is still unknown), the feed that delivers in seq order, the grace timer of a live gap,
 * and the catch-up from history with its retries. Ends itself when the server refuses the room.
 */
export class RoomSubscription {
  /** Delivery starts after this seq on the first join; unset, after the room's last seq then. */
  sinceSeq: number | undefined;
  /** Kept across failed first joins and joined again on connect (`ChatSocket.subscribe`). */
  kept = false;
  private feed: RoomFeed | null = null;
  private early: Message[] = [];
  /** The fill this subscription watches; the feed coalesces concurrent catch-ups into it. */
  private fill: Promise<void> | null = null;
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: RoomSubscriptionOptions) {}

  get roomId(): string {
    return this.options.roomId;
  }

  /** True once a join succeeded: delivery is in order from then on. */
  get live(): boolean {
    return this.feed !== null;
  }

  /** Highest seq delivered in order. */
  get lastSeq(): number | undefined {
    return this.feed?.lastSeq;
  }

  accept(message: Message): void {
    if (!this.feed) this.early.push(message);
    else if (this.feed.accept(message) === 'buffered') this.awaitGap();
  }

  /** Joins on the server; the first success sets where delivery starts and fetches what it lacks. */
  async join(options: RequestOptions = {}): Promise<RoomJoinResult> {
    let result: RoomJoinResult;
    try {
      result = await this.options.join(options);
    } catch (error) {
      this.joinFailed(error);
      throw error;
    }
    if (this.closed) return result;
    if (!this.feed) {
      this.feed = new RoomFeed({
        lastSeq: this.sinceSeq ?? result.lastSeq,
        deliver: this.options.deliver,
        fetchAfter: this.options.fetchAfter,
      });
      for (const message of this.early.splice(0)) this.feed.accept(message);
    }
    if (this.feed.hasGap || result.lastSeq > this.feed.lastSeq) this.catchUp();
    return result;
  }

  /**
   * After a reconnect the server may hold a fresh socket with no room subscriptions, and events sent
   * while away are lost unless the connection state was recovered: join again, then read history.
   * A subscription that never went live joins for the first time if it is kept.
   */
  async resume(): Promise<void> {
    if (!this.live) {
      if (this.kept)
        await this.join().catch((error: unknown) => this.options.report(this.options.asChatError(error)));
      return;
    }
    try {
      await this.options.join({});
    } catch (error) {
      this.options.report(this.options.asChatError(error));
      if (this.joinFailed(error)) return;
    }
    this.catchUp();
  }

  /** Stops its timers; the feed and its position stay for the next connection. */
  pause(): void {
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** Stops all delivery for good; a fill in flight finishes silently. */
  close(): void {
    this.closed = true;
    this.pause();
    this.feed?.close();
    this.early = [];
  }

  /** Ends the subscription if the failure means the room is lost, or a first join failed unkept; true if ended. */
  private joinFailed(error: unknown): boolean {
    const lost = LOST_ROOM_CODES.has(this.options.asChatError(error).code);
    if (!lost && (this.live || this.kept)) return false;
    if (!this.closed) this.options.ended();
    return true;
  }

  /** Fills a live gap from history if the missing messages have not arrived within the grace period. */
  private awaitGap(): void {
    if (this.options.gapGraceMs <= 0) {
      this.catchUp();
      return;
    }
    if (this.gapTimer !== undefined) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.feed?.hasGap) this.catchUp();
    }, this.options.gapGraceMs);
  }

  private catchUp(attempt = 0): void {
    const feed = this.feed;
    if (!feed || this.closed) return;
    const fill = feed.catchUp();
    // Joined the running fill, which goes round once more; its handler below owns any failure.
    if (fill === this.fill) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.fill = fill;
    fill.then(
      () => this.fillEnded(fill),
      (error: unknown) => {
        this.fillEnded(fill);
        if (!this.closed) this.retryOrSkip(feed, this.options.asChatError(error), attempt);
      },
    );
  }

  private fillEnded(fill: Promise<void>): void {
    if (this.fill === fill) this.fill = null;
  }

  private retryOrSkip(feed: RoomFeed, failure: ChatError, attempt: number): void {
    this.options.report(failure);
    if (!isTransient(failure.code)) {
      feed.skipGap();
      return;
    }
    if (this.options.isOffline()) return;
    const delay = retryDelay(failure, attempt, CATCH_UP_BACKOFF.baseMs, CATCH_UP_BACKOFF.capMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.catchUp(attempt + 1);
    }, delay);
  }
}
