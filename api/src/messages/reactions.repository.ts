import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Limits } from '@chat/contracts';

import { ReactionAggregate } from './reaction-summaries';

/** How a reaction change ended. */
export type ReactionChange =
  | { kind: 'noMessage' }
  | { kind: 'notMember'; roomId: string }
  | { kind: 'archived'; roomId: string }
  | { kind: 'outOfScope'; roomId: string }
  | { kind: 'limit'; roomId: string }
  | { kind: 'done'; roomId: string; changed: boolean; version: number };

/**
 * Reactions per message, emoji and user; one emoji's reactors are listed earliest first and only the
 * first Limits.REACTION_USERS_MAX of them, so a message with thousands of reactions stays small.
 */
const AGGREGATES = `
  SELECT message_id, emoji, count(*)::int AS count,
    (array_agg(user_id ORDER BY created_at, user_id))[1:${Limits.REACTION_USERS_MAX}] AS user_ids,
    coalesce(bool_or(user_id = $2::uuid), false) AS mine
  FROM message_reactions WHERE message_id = ANY($1::uuid[])
  GROUP BY message_id, emoji
  ORDER BY message_id, min(created_at), emoji`;

@Injectable()
export class ReactionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The reactions of these messages; `mine` tells whether `viewerId` is among each emoji's reactors. */
  aggregates(messageIds: string[], viewerId: string | null): Promise<ReactionAggregate[]> {
    if (messageIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(AGGREGATES, [messageIds, viewerId]);
  }

  /**
   * Adds or removes one reaction. The message's row lock serialises the changes of one message, so
   * the distinct-emoji cap cannot be overrun by racing adds and each change gets the next version.
   * Deleted messages and archived rooms take no reactions; only members of the message's room may change them, and a
   * bot only in the rooms its API key reaches (`keyScope`; null for people).
   */
  change(
    messageId: string,
    userId: string,
    emoji: string,
    add: boolean,
    keyScope: string[] | null,
  ): Promise<ReactionChange> {
    return this.dataSource.transaction(async (db) => {
      const [message]: { room_id: string; member: boolean; archived: boolean }[] = await db.query(
        `SELECT m.room_id,
           EXISTS (SELECT 1 FROM memberships s WHERE s.room_id = m.room_id AND s.user_id = $2) AS member,
           EXISTS (SELECT 1 FROM rooms r WHERE r.id = m.room_id AND r.archived_at IS NOT NULL) AS archived
         FROM messages m WHERE m.id = $1 AND m.deleted_at IS NULL FOR UPDATE OF m`,
        [messageId, userId],
      );
      if (!message) return { kind: 'noMessage' };
      const roomId = message.room_id;
      if (!message.member) return { kind: 'notMember', roomId };
      // Read, not locked: a reaction racing the archive's commit may still land (it is no timeline
      // message); taking the room's lock here would queue every reaction behind the room's senders.
      if (message.archived) return { kind: 'archived', roomId };
      if (keyScope && !keyScope.includes(roomId)) return { kind: 'outOfScope', roomId };
      if (add && !(await this.roomForEmoji(db, messageId, emoji))) return { kind: 'limit', roomId };
      const changed = add
        ? await db.query(
            `INSERT INTO message_reactions (message_id, emoji, user_id) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING RETURNING 1`,
            [messageId, emoji, userId],
          )
        : await db.query(
            `WITH gone AS (
               DELETE FROM message_reactions WHERE message_id = $1 AND emoji = $2 AND user_id = $3 RETURNING 1
             ) SELECT * FROM gone`,
            [messageId, emoji, userId],
          );
      const [row]: { reactions_version: number }[] = await db.query(
        changed.length > 0
          ? `WITH v AS (
               UPDATE messages SET reactions_version = reactions_version + 1 WHERE id = $1 RETURNING reactions_version
             ) SELECT * FROM v`
          : 'SELECT reactions_version FROM messages WHERE id = $1',
        [messageId],
      );
      return { kind: 'done', roomId, changed: changed.length > 0, version: row.reactions_version };
    });
  }

  /** Whether the emoji is already on the message or there is room for one more distinct emoji. */
  private async roomForEmoji(db: EntityManager, messageId: string, emoji: string): Promise<boolean> {
    const [row]: { present: boolean; emoji_count: number }[] = await db.query(
      `SELECT coalesce(bool_or(emoji = $2), false) AS present, count(DISTINCT emoji)::int AS emoji_count
       FROM message_reactions WHERE message_id = $1`,
      [messageId, emoji],
    );
    return row.present || row.emoji_count < Limits.REACTIONS_PER_MESSAGE_MAX;
  }
}
