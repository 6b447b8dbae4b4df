import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { ThreadSummary } from '@chat/contracts';

import { MESSAGE_COLUMNS, MESSAGE_OWN_COLUMNS, MessageRow } from '../database/rows';
import { InsertedMessageRow, MENTIONED_MEMBERS } from './message-writer';

/** Which messages of a room a history page walks: all of them, the top-level ones, or one thread. */
export type Timeline = { kind: 'room' } | { kind: 'topLevel' } | { kind: 'thread'; rootId: string };

/** The timeline's condition on `m`; a thread's root id is the query's 4th parameter. */
function timelineFilter(timeline: Timeline): string {
  if (timeline.kind === 'topLevel') return 'm.thread_root_id IS NULL';
  if (timeline.kind === 'thread') return '(m.thread_root_id = $4 OR m.id = $4)';
  return 'true';
}
const timelineParams = (timeline: Timeline): string[] =>
  timeline.kind === 'thread' ? [timeline.rootId] : [];

/*
 * Queries on `messages` other than the send path (MessageWriter). UPDATEs are wrapped as
 * `WITH x AS (UPDATE … RETURNING …) SELECT * FROM x`: TypeORM answers a bare UPDATE with
 * [rows, affectedCount] but a SELECT with rows, and one shape everywhere avoids mistakes.
 */
@Injectable()
export class MessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Up to `limit` messages of the timeline with seq > `afterSeq`, oldest first. */
  after(roomId: string, timeline: Timeline, afterSeq: number, limit: number): Promise<MessageRow[]> {
    return this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.room_id = $1 AND ${timelineFilter(timeline)} AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3`,
      [roomId, afterSeq, limit, ...timelineParams(timeline)],
    );
  }

  /** Up to `limit` messages of the timeline with seq < `beforeSeq` (the newest when null), newest first. */
  before(roomId: string, timeline: Timeline, beforeSeq: number | null, limit: number): Promise<MessageRow[]> {
    return this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.room_id = $1 AND ${timelineFilter(timeline)} AND ($2::bigint IS NULL OR m.seq < $2)
       ORDER BY m.seq DESC LIMIT $3`,
      [roomId, beforeSeq, limit, ...timelineParams(timeline)],
    );
  }

  /** Where a message sits: its room and, for a reply, its root. Neither ever changes. */
  async placeOf(messageId: string): Promise<{ roomId: string; threadRootId: string | null } | undefined> {
    const [row]: { room_id: string; thread_root_id: string | null }[] = await this.dataSource.query(
      'SELECT room_id, thread_root_id FROM messages WHERE id = $1',
      [messageId],
    );
    return row && { roomId: row.room_id, threadRootId: row.thread_root_id };
  }

  /** The current counters of these thread roots. */
  async threadSummaries(rootIds: string[]): Promise<Map<string, ThreadSummary>> {
    if (rootIds.length === 0) return new Map();
    const rows: { id: string; reply_count: number; last_reply_at: Date | null }[] =
      await this.dataSource.query(
        'SELECT id, reply_count, last_reply_at FROM messages WHERE id = ANY($1::uuid[])',
        [rootIds],
      );
    return new Map(
      rows.map((row) => [
        row.id,
        { replyCount: row.reply_count, lastReplyAt: row.last_reply_at?.toISOString() ?? null },
      ]),
    );
  }

  /** In a direct room, its members other than `userId`; in a group room, none. */
  async directPeersOf(roomId: string, userId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await this.dataSource.query(
      `SELECT pm.user_id FROM memberships pm JOIN rooms r ON r.id = pm.room_id
       WHERE pm.room_id = $1 AND r.kind = 'direct' AND pm.user_id <> $2`,
      [roomId, userId],
    );
    return rows.map((row) => row.user_id);
  }

  /**
   * Sets the body of the sender's own live message in a room they are still a member of (and that is
   * not archived), and its
   * mentions to the members among `mentionedUsernames`; undefined if there is none.
   */
  editBody(
    messageId: string,
    senderId: string,
    body: string,
    mentionedUsernames: string[],
  ): Promise<InsertedMessageRow | undefined> {
    return this.updateOwn(
      messageId,
      senderId,
      `body = $3, edited_at = now(), mentions = ${MENTIONED_MEMBERS('messages.room_id', '$4::text[]')}`,
      [body, mentionedUsernames],
    );
  }

  /**
   * Soft delete of the sender's own live message: it keeps its seq and loses its body, mentions and,
   * in the same statement, its attachments, whose storage keys come back (the trigger on
   * `attachments` has queued them for deletion too).
   */
  async softDelete(
    messageId: string,
    senderId: string,
  ): Promise<{ row: InsertedMessageRow; attachmentKeys: string[] } | undefined> {
    const row = await this.updateOwn(
      messageId,
      senderId,
      `body = '', mentions = '{}', deleted_at = now()`,
      [],
      {
        ctes: `, gone AS (
         DELETE FROM attachments a USING changed WHERE a.message_id = changed.id
         RETURNING a.blob_key, a.thumbnail_key
       )`,
        columns: `, (SELECT array_agg(k) FROM gone, unnest(ARRAY[gone.blob_key, gone.thumbnail_key]) AS k
          WHERE k IS NOT NULL) AS attachment_keys`,
      },
    );
    if (!row) return undefined;
    const { attachment_keys, ...message } = row as InsertedMessageRow & { attachment_keys: string[] | null };
    return { row: message, attachmentKeys: attachment_keys ?? [] };
  }

  /** Why a change to a message was refused: what updateOwn's WHERE checks, one by one. */
  async editability(
    messageId: string,
    userId: string,
  ): Promise<{ sender_id: string; deleted: boolean; system: boolean; member: boolean } | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT x.sender_id, x.deleted_at IS NOT NULL AS deleted, x.system IS NOT NULL AS system,
         EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = x.room_id AND m.user_id = $2) AS member
       FROM messages x WHERE x.id = $1`,
      [messageId, userId],
    );
    return row;
  }

  private async updateOwn(
    messageId: string,
    senderId: string,
    assignments: string,
    params: unknown[],
    /** More of the statement: CTEs after `changed`, and columns after `changed.*`. */
    more: { ctes: string; columns: string } = { ctes: '', columns: '' },
  ): Promise<InsertedMessageRow | undefined> {
    const rows: InsertedMessageRow[] = await this.dataSource.query(
      `WITH changed AS (
         UPDATE messages SET ${assignments}
         WHERE id = $1 AND sender_id = $2 AND deleted_at IS NULL AND system IS NULL
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = messages.room_id AND m.user_id = $2)
           AND NOT EXISTS (SELECT 1 FROM rooms r WHERE r.id = messages.room_id AND r.archived_at IS NOT NULL)
         RETURNING ${MESSAGE_OWN_COLUMNS}
       )${more.ctes}
       SELECT changed.*${more.columns} FROM changed`,
      [messageId, senderId, ...params],
    );
    return rows[0];
  }
}
