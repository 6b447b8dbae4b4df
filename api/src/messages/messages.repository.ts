import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { MESSAGE_COLUMNS, MessageRow } from '../database/rows';
import { MessageEntity } from './entities/message.entity';
import { InsertedMessageRow } from './message-writer';

const RETURNED_COLUMNS =
  'id, room_id, seq, sender_id, body, client_msg_id, instance_id, created_at, edited_at, deleted_at';

/*
 * Queries on `messages` other than the send path (MessageWriter). UPDATEs are wrapped as
 * `WITH x AS (UPDATE … RETURNING …) SELECT * FROM x`: TypeORM answers a bare UPDATE with
 * [rows, affectedCount] but a SELECT with rows, and one shape everywhere avoids mistakes.
 */
@Injectable()
export class MessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Up to `limit` messages with seq > `afterSeq`, oldest first. */
  after(roomId: string, afterSeq: number, limit: number): Promise<MessageRow[]> {
    return this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.room_id = $1 AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3`,
      [roomId, afterSeq, limit],
    );
  }

  /** Up to `limit` messages with seq < `beforeSeq` (the newest when null), newest first. */
  before(roomId: string, beforeSeq: number | null, limit: number): Promise<MessageRow[]> {
    return this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.room_id = $1 AND ($2::bigint IS NULL OR m.seq < $2) ORDER BY m.seq DESC LIMIT $3`,
      [roomId, beforeSeq, limit],
    );
  }

  /** Sets the body of the sender's own live message in a room they are still a member of; undefined if there is none. */
  editBody(messageId: string, senderId: string, body: string): Promise<InsertedMessageRow | undefined> {
    return this.updateOwn(messageId, senderId, 'body = $3, edited_at = now()', [body]);
  }

  /**
   * Soft delete of the sender's own live message: it keeps its seq and loses its body and, in the
   * same statement, its attachments, whose storage keys come back (the trigger on `attachments` has
   * queued them for deletion too).
   */
  async softDelete(
    messageId: string,
    senderId: string,
  ): Promise<{ row: InsertedMessageRow; attachmentKeys: string[] } | undefined> {
    const rows: (InsertedMessageRow & { attachment_keys: string[] | null })[] = await this.dataSource.query(
      `WITH changed AS (
         UPDATE messages SET body = '', deleted_at = now()
         WHERE id = $1 AND sender_id = $2 AND deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = messages.room_id AND m.user_id = $2)
         RETURNING ${RETURNED_COLUMNS}
       ),
       gone AS (
         DELETE FROM attachments a USING changed WHERE a.message_id = changed.id
         RETURNING a.blob_key, a.thumbnail_key
       )
       SELECT changed.*,
         (SELECT array_agg(k) FROM gone, unnest(ARRAY[gone.blob_key, gone.thumbnail_key]) AS k WHERE k IS NOT NULL)
           AS attachment_keys
       FROM changed`,
      [messageId, senderId],
    );
    if (!rows[0]) return undefined;
    const { attachment_keys, ...row } = rows[0];
    return { row, attachmentKeys: attachment_keys ?? [] };
  }

  findEntity(messageId: string): Promise<MessageEntity | null> {
    return this.dataSource.manager.findOne(MessageEntity, {
      select: { id: true, senderId: true, deletedAt: true },
      where: { id: messageId },
    });
  }

  private async updateOwn(
    messageId: string,
    senderId: string,
    assignments: string,
    params: unknown[],
  ): Promise<InsertedMessageRow | undefined> {
    const rows: InsertedMessageRow[] = await this.dataSource.query(
      `WITH changed AS (
         UPDATE messages SET ${assignments}
         WHERE id = $1 AND sender_id = $2 AND deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = messages.room_id AND m.user_id = $2)
         RETURNING ${RETURNED_COLUMNS}
       )
       SELECT * FROM changed`,
      [messageId, senderId, ...params],
    );
    return rows[0];
  }
}
