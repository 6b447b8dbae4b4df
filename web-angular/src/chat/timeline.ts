import { Message } from '@chat/contracts';

/** Messages of one sender this close together share one header (name, avatar, time). */
export const GROUP_WINDOW_MS = 5 * 60_000;

export type TimelineItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: 'unread' }
  | {
      kind: 'message';
      key: number;
      message: Message;
      /** False for the first message of a group, which shows the header; true for the ones after it. */
      continued: boolean;
    };

/**
 * The timeline as a person reads it: a separator where the day changes, a "New messages" divider
 * before the first unread message, and consecutive messages of one sender within five minutes of
 * each other grouped under one header (a system message, such as a rename, ends a group). Days are
 * local to the reader.
 */
export function buildTimeline(
  messages: readonly Message[],
  options: { firstUnreadSeq?: number | null; now?: Date } = {},
): TimelineItem[] {
  const now = options.now ?? new Date();
  const items: TimelineItem[] = [];
  let previous: Message | null = null;
  let previousDay = '';
  let unreadPlaced = false;
  for (const message of messages) {
    const at = new Date(message.createdAt);
    const day = localDayKey(at);
    let breaks = false;
    if (day !== previousDay) {
      items.push({ kind: 'day', key: day, label: dayLabel(at, now) });
      previousDay = day;
      breaks = true;
    }
    // At or after: the first unread may be a reply, which the main timeline does not show.
    if (!unreadPlaced && options.firstUnreadSeq != null && message.seq >= options.firstUnreadSeq) {
      items.push({ kind: 'unread', key: 'unread' });
      unreadPlaced = true;
      breaks = true;
    }
    const continued =
      !breaks &&
      previous !== null &&
      !previous.system &&
      !message.system &&
      previous.senderId === message.senderId &&
      at.getTime() - Date.parse(previous.createdAt) < GROUP_WINDOW_MS;
    items.push({ kind: 'message', key: message.seq, message, continued });
    previous = message;
  }
  return items;
}

/** "Today", "Yesterday", a weekday within the last week, else the date (with the year if not this one). */
export function dayLabel(date: Date, now: Date, locale?: string): string {
  const days = Math.round((startOfDay(now).getTime() - startOfDay(date).getTime()) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return date.toLocaleDateString(locale, { weekday: 'long' });
  return date.toLocaleDateString(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}

function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

function localDayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** "just now", "5 min ago", "3 h ago", "yesterday", else the day: how long since a thread's last reply. */
export function timeAgo(iso: string, now: Date, locale?: string): string {
  const minutes = Math.floor((now.getTime() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60 && new Date(iso).getDate() === now.getDate())
    return `${Math.floor(minutes / 60)} h ago`;
  const label = dayLabel(new Date(iso), now, locale);
  return label === 'Yesterday' ? 'yesterday' : `on ${label}`;
}
