import { Message } from '@chat/contracts';

/**
 * Merges messages into a timeline sorted by seq, whatever order and however often they arrive
 * (live events, catch-up pages, older pages, acks): one entry per seq, the newest version of each.
 * Returns `current` itself when nothing changed, so signals holding it do not notify.
 */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): readonly Message[] {
  if (incoming.length === 0) return current;
  const bySeq = new Map<number, Message>();
  for (const message of current) bySeq.set(message.seq, message);
  let changed = false;
  for (const message of incoming) {
    const existing = bySeq.get(message.seq);
    if (existing && (existing === message || versionOf(existing) >= versionOf(message))) continue;
    bySeq.set(message.seq, message);
    changed = true;
  }
  if (!changed) return current;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Later states win: a deletion over an edit, an edit over the original, a later edit over an earlier. */
function versionOf(message: Message): number {
  if (message.deletedAt) return Number.MAX_SAFE_INTEGER;
  return message.editedAt ? Date.parse(message.editedAt) : 0;
}
