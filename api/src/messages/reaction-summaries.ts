import { Limits, Reaction } from '@chat/contracts';

/** One (message, emoji) aggregate as the database gives it. */
export interface ReactionAggregate {
  message_id: string;
  emoji: string;
  count: number;
  /** The earliest Limits.REACTION_USERS_MAX reactors, earliest first. */
  user_ids: string[];
  /** Whether the viewer the query was asked for is among all the reactors. */
  mine: boolean;
}

/**
 * Groups aggregates (in the order the emoji were first used) by message. For a viewer who reacted
 * but is beyond the cap, the last listed id gives way to theirs: a client can always tell "you
 * reacted" from `userIds` in history, and `count` stays exact.
 */
export function summarize(aggregates: ReactionAggregate[], viewerId: string | null): Map<string, Reaction[]> {
  const byMessage = new Map<string, Reaction[]>();
  for (const aggregate of aggregates) {
    let userIds = aggregate.user_ids.slice(0, Limits.REACTION_USERS_MAX);
    if (viewerId && aggregate.mine && !userIds.includes(viewerId)) {
      userIds = [...userIds.slice(0, Limits.REACTION_USERS_MAX - 1), viewerId];
    }
    const reactions = byMessage.get(aggregate.message_id) ?? [];
    reactions.push({ emoji: aggregate.emoji, count: Number(aggregate.count), userIds });
    byMessage.set(aggregate.message_id, reactions);
  }
  return byMessage;
}
