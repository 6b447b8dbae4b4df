import { Limits } from '@chat/contracts';

/** Fenced code blocks, then inline code spans: `@name` inside code is text, not a mention. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;
/**
 * `@` at the start or after a character that cannot end a username or an e-mail's local part, then a
 * name of username characters. A trailing `.` or `-` is punctuation ("thanks @bob."), not part of it.
 */
const MENTION = /(?<![A-Za-z0-9_.+-])@([A-Za-z0-9_.-]+)/g;

/**
 * The usernames a body mentions, lower-cased (usernames are unique regardless of case), distinct,
 * in order of first appearance, at most Limits.MENTIONS_MAX. Which of them are members of the room
 * is for the database to say.
 */
export function mentionedUsernames(body: string): string[] {
  const names = new Set<string>();
  for (const match of body.replace(CODE, ' ').matchAll(MENTION)) {
    const name = match[1].replace(/[.-]+$/, '').toLowerCase();
    if (name.length < Limits.USERNAME_MIN || name.length > Limits.USERNAME_MAX) continue;
    names.add(name);
    if (names.size === Limits.MENTIONS_MAX) break;
  }
  return [...names];
}
