import type { UserRef } from '@chat/contracts';

const SHOWN = 6;

/** The `@name` being typed where the caret is: where it starts and what is typed so far, else null. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|[^A-Za-z0-9_.+-])@([A-Za-z0-9_.-]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1].length - 1, query: match[1] };
}

/**
 * Members whose username or display name starts with the query (case-insensitive), usernames
 * first, then display names; the user themself left out.
 */
export function suggestMembers(
  members: readonly UserRef[],
  query: string,
  myUserId: string | null,
): UserRef[] {
  const q = query.toLowerCase();
  const others = members.filter((user) => user.id !== myUserId);
  const byUsername = others.filter((user) => user.username.toLowerCase().startsWith(q));
  const byName = others.filter(
    (user) =>
      !byUsername.includes(user) &&
      (user.displayName || '')
        .toLowerCase()
        .split(/\s+/)
        .some((word) => word.startsWith(q)),
  );
  return [...byUsername, ...byName].slice(0, SHOWN);
}

/** The text with the mention being typed replaced by `@username `, and where the caret goes. */
export function insertMention(
  text: string,
  mention: { start: number; query: string },
  username: string,
): { text: string; caret: number } {
  const end = mention.start + 1 + mention.query.length;
  const inserted = `@${username} `;
  return {
    text: text.slice(0, mention.start) + inserted + text.slice(end),
    caret: mention.start + inserted.length,
  };
}
