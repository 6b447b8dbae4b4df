import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { filter } from 'rxjs';

import { Limits, Member, Message, Reaction, UpdateRoomRequest, User, UserRef } from '@chat/contracts';
import { ReactionVersions, withReplyCounters } from '@chat/sdk';

import { AuthStore } from '../auth/auth-store';
import { ChatConnection } from '../realtime/chat-connection';
import { RoomsStore } from '../rooms/rooms-store';
import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';
import { userLabel } from '../shared/user-label';
import type { ComposerDraft } from './composer.component';
import { mergeMessages } from './message-merge';
import { Outbox } from './outbox';

/** A typing signal not renewed within this long is stale (the sender renews every few seconds). */
const TYPING_TTL_MS = 6_000;

/**
 * One open room: its timeline (history pages merged with live messages), members with presence and
 * read markers, who is typing, and the user's pending messages. Provided per room page.
 */
@Injectable()
export class ChatRoomStore {
  private readonly auth = inject(AuthStore);
  private readonly api = inject(ChatApi);
  private readonly connection = inject(ChatConnection);
  private readonly rooms = inject(RoomsStore);
  private readonly outbox = inject(Outbox);
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private openGeneration = 0;
  /** `message:reactions` events of other instances can overtake each other: the newest wins. */
  private reactionVersions = new ReactionVersions();

  readonly roomId = signal<string | null>(null);
  readonly room = computed(() => {
    const id = this.roomId();
    return id ? (this.rooms.rooms().find((room) => room.id === id) ?? null) : null;
  });
  readonly messages = signal<readonly Message[]>([]);
  readonly loading = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly hasOlder = signal(false);
  readonly loadingOlder = signal(false);
  /** Opened around a seq (a search hit): newer messages exist that are not loaded yet. */
  readonly hasNewer = signal(false);
  readonly loadingNewer = signal(false);
  /** The seq the room was opened at, to scroll to and mark; null when opened at the newest. */
  readonly focusSeq = signal<number | null>(null);
  /** The members loaded so far: the first page, then any further ones asked for. */
  readonly members = signal<Member[]>([]);
  /** Where the next page of members starts; null once every member is loaded. */
  private readonly membersCursor = signal<string | null>(null);
  readonly hasMoreMembers = computed(() => this.membersCursor() !== null);
  private readonly typingIds = signal<string[]>([]);

  readonly myUserId = computed(() => this.auth.user()?.id ?? null);
  readonly pending = computed(() =>
    this.outbox.entries().filter((entry) => entry.roomId === this.roomId() && !entry.threadRootId),
  );
  /** The newest seq seen in the room, replies included (they are not in the main timeline). */
  private readonly newestSeq = signal(0);
  readonly lastSeq = computed(() => Math.max(this.newestSeq(), this.messages().at(-1)?.seq ?? 0));
  /** Every seq loaded, replies included: where the pages loaded around a search hit end. */
  private seenSeqs = new Set<number>();
  /** The thread open beside the timeline. */
  readonly openThreadId = signal<string | null>(null);
  /** Replies that arrived, in threads the user took part in, while those threads were not open. */
  readonly unreadReplies = signal<ReadonlyMap<string, number>>(new Map());
  readonly unreadReplyTotal = computed(() => [...this.unreadReplies().values()].reduce((a, b) => a + b, 0));
  /** Roots of threads the user replied in (as far as this page has seen). */
  private readonly repliedIn = new Set<string>();
  /** The user counts as online from the moment they are connected, before presence says so. */
  readonly onlineCount = computed(
    () =>
      this.members().filter(
        (member) => member.online || (member.user.id === this.myUserId() && this.connection.online()),
      ).length,
  );
  /** Where "New messages" starts: the first unread when the room was opened, or the first that came unseen. */
  readonly firstUnreadSeq = signal<number | null>(null);
  /** The user's newest message still standing, which Up-arrow edits. */
  readonly lastOwnMessage = computed(() =>
    this.messages()
      .filter((message) => message.senderId === this.myUserId() && !message.deletedAt)
      .at(-1),
  );

  /** "Alice (@alice) is typing…", "Alice (@alice) and Bob (@bob) are typing…", "3 people are typing…". */
  readonly typingText = computed(() => {
    const names = this.typingIds().map((id) => this.nameOf(id));
    if (names.length === 0) return null;
    if (names.length === 1) return `${names[0]} is typing…`;
    if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
    return `${names.length} people are typing…`;
  });

  /** Labels of the loaded members by user id ("who reacted"). */
  readonly memberNames = computed(
    () => new Map(this.members().map((member) => [member.user.id, userLabel(member.user)])),
  );

  /** Seq → names of the other members whose read marker is exactly there ("seen by …"). */
  readonly seenBy = computed(() => {
    const seen = new Map<number, string[]>();
    const me = this.myUserId();
    const senderOf = new Map(this.messages().map((message) => [message.seq, message.senderId]));
    for (const member of this.members()) {
      const seq = member.lastReadSeq;
      // Not on their own message (of course they saw it), and only where the marker is loaded.
      if (member.user.id === me || !senderOf.has(seq) || senderOf.get(seq) === member.user.id) continue;
      seen.set(seq, [...(seen.get(seq) ?? []), userLabel(member.user)]);
    }
    return seen;
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    const inThisRoom = <T extends { roomId: string }>(event: T) => event.roomId === this.roomId();
    this.connection.messages
      .pipe(filter(inThisRoom), takeUntilDestroyed(destroyRef))
      .subscribe((message) => this.receive(message));
    this.outbox.delivered
      .pipe(filter(inThisRoom), takeUntilDestroyed(destroyRef))
      .subscribe((message) => this.receive(message));
    this.connection.updates
      .pipe(filter(inThisRoom), takeUntilDestroyed(destroyRef))
      .subscribe((message) => this.merge([message]));
    this.connection.reactions.pipe(filter(inThisRoom), takeUntilDestroyed(destroyRef)).subscribe((event) => {
      if (this.reactionVersions.accept(event)) this.setReactions(event.messageId, event.reactions);
    });
    this.connection.typing
      .pipe(filter(inThisRoom), takeUntilDestroyed(destroyRef))
      .subscribe(({ userId, isTyping }) => {
        if (userId === this.myUserId()) return;
        this.noticeMember(userId);
        this.setTyping(userId, isTyping);
      });
    this.connection.receipts
      .pipe(filter(inThisRoom), takeUntilDestroyed(destroyRef))
      .subscribe(({ userId, seq }) => {
        this.noticeMember(userId);
        this.updateMember(userId, (member) => ({
          ...member,
          lastReadSeq: Math.max(member.lastReadSeq, seq),
        }));
      });
    this.connection.presence
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(({ userId, online }) => this.updateMember(userId, (member) => ({ ...member, online })));
    this.connection.roomsUpdated
      .pipe(
        filter((event) => event.room.id === this.roomId()),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe(() => void this.loadMembers());
    this.connection.usersUpdated
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(({ user }) => this.renamed(user));
    // Catch up the members (presence may have changed unseen) whenever the connection returns.
    this.connection.reconnected.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => void this.loadMembers());
    destroyRef.onDestroy(() => this.clearTyping());
  }

  /**
   * Shows a room: its newest page of history, or with `aroundSeq` the page around that message (a
   * search hit) with newer pages loaded on demand; then live messages as they come.
   */
  async open(roomId: string, aroundSeq: number | null = null): Promise<void> {
    const generation = ++this.openGeneration;
    this.roomId.set(roomId);
    this.messages.set([]);
    this.newestSeq.set(0);
    this.seenSeqs = new Set();
    this.unreadReplies.set(new Map());
    this.repliedIn.clear();
    this.reactionVersions = new ReactionVersions();
    this.members.set([]);
    this.membersCursor.set(null);
    this.hasOlder.set(false);
    this.hasNewer.set(false);
    this.focusSeq.set(aroundSeq);
    this.loadError.set(null);
    const known = this.rooms.byId(roomId);
    this.firstUnreadSeq.set(known && known.lastSeq > known.lastReadSeq ? known.lastReadSeq + 1 : null);
    this.clearTyping();
    this.loading.set(true);
    try {
      const limit = Limits.HISTORY_PAGE_DEFAULT;
      const [page] = await Promise.all([
        // The main timeline holds top-level messages; replies live in their thread's panel.
        this.api.http.history(
          roomId,
          aroundSeq === null ? { limit, topLevel: true } : { around: aroundSeq, limit },
        ),
        this.loadMembers(),
      ]);
      if (generation !== this.openGeneration) return;
      this.merge(page.messages);
      // Around a seq, `hasMore` speaks of newer messages; older ones exist above seq 1 (seqs are contiguous).
      this.hasOlder.set(aroundSeq === null ? page.hasMore : (page.messages[0]?.seq ?? 1) > 1);
      this.hasNewer.set(aroundSeq !== null && page.hasMore);
      // Live events from the newest known seq: the messages between are the newer pages.
      const known = this.hasNewer() ? Math.max(this.room()?.lastSeq ?? 0, this.lastSeq()) : this.lastSeq();
      this.connection.watch(roomId, known);
    } catch (error) {
      if (generation === this.openGeneration) this.loadError.set(errorText(error));
    } finally {
      if (generation === this.openGeneration) this.loading.set(false);
    }
  }

  /** The page before the oldest message shown (scrolling up). */
  async loadOlder(): Promise<void> {
    const roomId = this.roomId();
    const oldest = this.messages()[0]?.seq;
    if (!roomId || !oldest || !this.hasOlder() || this.loadingOlder()) return;
    this.loadingOlder.set(true);
    try {
      const page = await this.api.http.history(roomId, {
        before: oldest,
        limit: Limits.HISTORY_PAGE_DEFAULT,
        ...(this.hasNewer() ? {} : { topLevel: true }),
      });
      if (roomId !== this.roomId()) return;
      this.merge(page.messages);
      this.hasOlder.set(page.hasMore);
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loadingOlder.set(false);
    }
  }

  /** The page after the newest loaded message before the live ones (opened around a search hit). */
  async loadNewer(): Promise<void> {
    const roomId = this.roomId();
    const newest = this.newestContiguousSeq();
    if (!roomId || !this.hasNewer() || this.loadingNewer()) return;
    this.loadingNewer.set(true);
    try {
      const page = await this.api.http.history(roomId, { after: newest, limit: Limits.HISTORY_PAGE_DEFAULT });
      if (roomId !== this.roomId()) return;
      this.merge(page.messages);
      this.hasNewer.set(page.hasMore);
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loadingNewer.set(false);
    }
  }

  /** The last seq before the first gap: live messages may have arrived beyond the pages loaded. */
  private newestContiguousSeq(): number {
    const seqs = [...this.seenSeqs].sort((a, b) => a - b);
    let seq = seqs[0] ?? 0;
    for (const next of seqs) {
      if (next > seq + 1) break;
      seq = next;
    }
    return seq;
  }

  send(draft: ComposerDraft): void {
    const roomId = this.roomId();
    if (!roomId) return;
    this.firstUnreadSeq.set(null); // answering means the rest was seen
    this.outbox.enqueue(roomId, draft.body, draft.files);
  }

  retry(clientMsgId: string): void {
    this.outbox.retry(clientMsgId);
  }

  discard(clientMsgId: string): void {
    this.outbox.discard(clientMsgId);
  }

  /** Adds someone to the open room (owners of private rooms), then shows the room again with them. */
  async addMember(user: User): Promise<void> {
    const roomId = this.roomId();
    if (!roomId) return;
    await this.api.http.addMember(roomId, user.id);
    await this.open(roomId);
  }

  // ---- administration (owner and admins; the server checks every rule) ----------

  async update(request: UpdateRoomRequest): Promise<void> {
    await this.api.http.updateRoom(this.requireRoomId(), request);
  }

  async setRole(userId: string, role: 'admin' | 'member'): Promise<void> {
    await this.api.http.setMemberRole(this.requireRoomId(), userId, role);
  }

  async transfer(userId: string): Promise<void> {
    await this.api.http.transferOwnership(this.requireRoomId(), userId);
  }

  async removeMember(userId: string): Promise<void> {
    await this.api.http.removeMember(this.requireRoomId(), userId);
  }

  async ban(userId: string): Promise<void> {
    await this.api.http.banMember(this.requireRoomId(), userId);
  }

  async setArchived(archived: boolean): Promise<void> {
    const roomId = this.requireRoomId();
    await (archived ? this.api.http.archiveRoom(roomId) : this.api.http.unarchiveRoom(roomId));
  }

  async deleteRoom(): Promise<void> {
    const roomId = this.requireRoomId();
    await this.api.http.deleteRoom(roomId);
    this.rooms.removed(roomId);
  }

  private requireRoomId(): string {
    const roomId = this.roomId();
    if (!roomId) throw new Error('No room open');
    return roomId;
  }

  /** A new display name: in the member list and on the messages already shown. */
  private renamed(user: UserRef): void {
    this.updateMember(user.id, (member) => ({ ...member, user: { ...member.user, ...user } }));
    if (this.messages().some((message) => message.senderId === user.id)) {
      this.messages.update((messages) =>
        messages.map((message) =>
          message.senderId === user.id ? { ...message, sender: { ...message.sender, ...user } } : message,
        ),
      );
    }
  }

  async edit(messageId: string, body: string): Promise<void> {
    const { message } = await this.connection.edit(messageId, body);
    this.merge([message]);
  }

  async delete(messageId: string): Promise<void> {
    const { message } = await this.connection.delete(messageId);
    this.merge([message]);
  }

  /** Adds or takes back the user's reaction; live events bring everyone else's. */
  async react(messageId: string, emoji: string, add: boolean): Promise<void> {
    const versions = this.reactionVersions;
    let overtaken = false;
    const watch = this.connection.reactions.subscribe(
      (event) => (overtaken ||= event.messageId === messageId),
    );
    try {
      const result = await this.connection.react(messageId, emoji, add);
      // An event that came meanwhile is at least as new as this ack: it already holds the state.
      if (!overtaken && versions === this.reactionVersions) this.setReactions(messageId, result.reactions);
    } finally {
      watch.unsubscribe();
    }
  }

  /** Marks everything shown as read, once per new seq. */
  async markRead(): Promise<void> {
    const roomId = this.roomId();
    const seq = this.lastSeq();
    const room = this.room();
    // Not while the pages between the search hit and the newest messages are unread and unloaded.
    if (!roomId || seq === 0 || this.hasNewer() || (room && room.lastReadSeq >= seq)) return;
    this.rooms.markRead(roomId, seq);
    const me = this.myUserId();
    if (me)
      this.updateMember(me, (member) => ({ ...member, lastReadSeq: Math.max(member.lastReadSeq, seq) }));
    await this.connection.markRead(roomId, seq).catch(() => undefined);
  }

  typing(isTyping: boolean): void {
    const roomId = this.roomId();
    if (roomId) this.connection.setTyping(roomId, isTyping);
  }

  private receive(message: Message): void {
    if (message.threadRootId && !this.seenSeqs.has(message.seq)) this.noteReply(message);
    const unseen =
      !message.threadRootId &&
      message.senderId !== this.myUserId() &&
      this.rooms.readingRoomId() !== message.roomId &&
      !this.messages().some((known) => known.seq === message.seq);
    if (unseen && this.firstUnreadSeq() === null) this.firstUnreadSeq.set(message.seq);
    this.merge([message]);
    this.setTyping(message.senderId, false);
    this.noticeMember(message.senderId);
  }

  /** Someone not in the member list spoke, typed or read: they joined since it was loaded. */
  private noticeMember(userId: string): void {
    if (this.hasMoreMembers()) return; // a partial list: they may be on a page not loaded
    if (!this.members().some((member) => member.user.id === userId)) void this.loadMembers();
  }

  private setReactions(messageId: string, reactions: Reaction[]): void {
    this.messages.update((messages) =>
      messages.map((message) => (message.id === messageId ? { ...message, reactions } : message)),
    );
  }

  /** Top-level messages join the timeline; a reply only moves its root's counters. */
  private merge(messages: readonly Message[]): void {
    const replies = messages.filter((message) => message.threadRootId);
    const topLevel = replies.length === 0 ? messages : messages.filter((message) => !message.threadRootId);
    for (const message of messages) this.seenSeqs.add(message.seq);
    const newest = Math.max(0, ...messages.map((message) => message.seq));
    if (newest > this.newestSeq()) this.newestSeq.set(newest);
    this.messages.update((current) => {
      const merged = mergeMessages(current, topLevel);
      if (replies.length === 0) return merged;
      return merged.map((root) => replies.reduce((latest, reply) => withReplyCounters(latest, reply), root));
    });
  }

  /** A reply came live: counts as unread in a thread the user took part in and does not have open. */
  private noteReply(reply: Message): void {
    const rootId = reply.threadRootId;
    if (!rootId) return;
    if (reply.senderId === this.myUserId()) {
      this.repliedIn.add(rootId);
      return;
    }
    const root = this.messages().find((message) => message.id === rootId);
    const tookPart = this.repliedIn.has(rootId) || root?.senderId === this.myUserId();
    if (!tookPart || this.openThreadId() === rootId) return;
    this.unreadReplies.update((counts) => new Map(counts).set(rootId, (counts.get(rootId) ?? 0) + 1));
  }

  /** The thread is on screen: its replies are read; the user's own replies make it theirs. */
  threadOpened(rootId: string | null, repliers: readonly string[] = []): void {
    this.openThreadId.set(rootId);
    if (!rootId) return;
    if (repliers.includes(this.myUserId() ?? '')) this.repliedIn.add(rootId);
    if (this.unreadReplies().has(rootId))
      this.unreadReplies.update((counts) => {
        const next = new Map(counts);
        next.delete(rootId);
        return next;
      });
  }

  private async loadMembers(): Promise<void> {
    const roomId = this.roomId();
    if (!roomId) return;
    try {
      const page = await this.api.http.memberPage(roomId);
      if (roomId !== this.roomId()) return;
      this.members.set(page.members);
      this.membersCursor.set(page.nextCursor);
    } catch {
      // The member list is decoration; the timeline reports real failures.
    }
  }

  /** Appends the next page of members. */
  async loadMoreMembers(): Promise<void> {
    const roomId = this.roomId();
    const after = this.membersCursor();
    if (!roomId || !after) return;
    try {
      const page = await this.api.http.memberPage(roomId, { after });
      if (roomId !== this.roomId() || after !== this.membersCursor()) return;
      this.members.update((members) => [...members, ...page.members]);
      this.membersCursor.set(page.nextCursor);
    } catch {
      // Decoration, as above; the button stays for another try.
    }
  }

  private updateMember(userId: string, change: (member: Member) => Member): void {
    this.members.update((members) => {
      const index = members.findIndex((member) => member.user.id === userId);
      if (index === -1) return members;
      const next = [...members];
      next[index] = change(members[index]);
      return next;
    });
  }

  private setTyping(userId: string, isTyping: boolean): void {
    clearTimeout(this.typingTimers.get(userId));
    this.typingTimers.delete(userId);
    if (isTyping)
      this.typingTimers.set(
        userId,
        setTimeout(() => this.setTyping(userId, false), TYPING_TTL_MS),
      );
    this.typingIds.update((ids) => {
      const without = ids.filter((id) => id !== userId);
      return isTyping ? [...without, userId] : without.length === ids.length ? ids : without;
    });
  }

  private clearTyping(): void {
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
    this.typingIds.set([]);
  }

  private nameOf(userId: string): string {
    const user = this.members().find((member) => member.user.id === userId)?.user;
    return user ? userLabel(user) : 'Someone';
  }
}
