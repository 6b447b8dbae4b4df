import type { Message, MessageReactionsEvent } from '@chat/contracts';

/**
 * `message:reactions` events of one message can arrive out of order (they travel through different
 * instances). Keeps the highest version seen per message and says whether an event is newer.
 */
export class ReactionVersions {
  private readonly versions = new Map<string, number>();

  /** True when the event is newer than any accepted for its message: apply its `reactions` then. */
  accept(event: MessageReactionsEvent): boolean {
    if ((this.versions.get(event.messageId) ?? 0) >= event.version) return false;
    this.versions.set(event.messageId, event.version);
    return true;
  }

  /** Forget a message (it left the view), so the map does not grow without bound. */
  forget(messageId: string): void {
    this.versions.delete(messageId);
  }
}

/**
 * The root as a reply (live or from history) says it is now: replies carry their root's counters,
 * which only grow, so an older reply arriving late never rolls them back. Returns the same object
 * when nothing changes.
 */
export function withReplyCounters(root: Message, reply: Message): Message {
  const counters = reply.threadRootId === root.id ? reply.threadRoot : undefined;
  if (!counters || counters.replyCount <= root.replyCount) return root;
  return { ...root, replyCount: counters.replyCount, lastReplyAt: counters.lastReplyAt };
}
