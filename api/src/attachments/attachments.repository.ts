import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { Attachment } from '@chat/contracts';

export interface AttachmentRow {
  id: string;
  room_id: string;
  uploader_id: string;
  message_id: string | null;
  name: string;
  size: string | number;
  content_type: string;
  width: number | null;
  height: number | null;
  blob_key: string;
  thumbnail_key: string | null;
  thumbnail_size: number | null;
  ready: boolean;
}

export interface StoredFile {
  size: number;
  contentType: string;
  blobKey: string;
  width: number | null;
  height: number | null;
  thumbnailKey: string | null;
  thumbnailSize: number | null;
}

const COLUMNS = `a.id, a.room_id, a.uploader_id, a.message_id, a.name, a.size, a.content_type, a.width, a.height,
  a.blob_key, a.thumbnail_key, a.thumbnail_size, a.ready`;

export const toAttachment = (row: AttachmentRow): Attachment => ({
  id: row.id,
  name: row.name,
  size: Number(row.size),
  contentType: row.content_type,
  ...(row.width !== null && row.height !== null && { width: row.width, height: row.height }),
});

/** Queries on `attachments` and its deletion queue (the chunks belong to PostgresBlobStorage). */
@Injectable()
export class AttachmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The row of an upload in progress: the collector finds it if the upload never completes. */
  async begin(id: string, roomId: string, uploaderId: string, name: string, blobKey: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO attachments (id, room_id, uploader_id, name, blob_key) VALUES ($1, $2, $3, $4, $5)`,
      [id, roomId, uploaderId, name, blobKey],
    );
  }

  async complete(id: string, file: StoredFile): Promise<AttachmentRow> {
    const [row]: AttachmentRow[] = await this.dataSource.query(
      `WITH done AS (
         UPDATE attachments SET size = $2, content_type = $3, blob_key = $4, width = $5, height = $6,
           thumbnail_key = $7, thumbnail_size = $8, ready = true
         WHERE id = $1 RETURNING *
       )
       SELECT ${COLUMNS} FROM done a`,
      [
        id,
        file.size,
        file.contentType,
        file.blobKey,
        file.width,
        file.height,
        file.thumbnailKey,
        file.thumbnailSize,
      ],
    );
    return row;
  }

  /** Deletes the row; its keys go to the deletion queue (trigger). */
  async discard(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM attachments WHERE id = $1`, [id]);
  }

  /** Bytes of the user's uploads that no message carries yet (in progress included). */
  async unsentBytes(uploaderId: string): Promise<number> {
    const [row]: { total: string }[] = await this.dataSource.query(
      `SELECT coalesce(sum(size), 0) AS total FROM attachments WHERE uploader_id = $1 AND message_id IS NULL`,
      [uploaderId],
    );
    return Number(row.total);
  }

  /** The attachment, if `userId` is a member of its room now. */
  async readable(id: string, userId: string): Promise<AttachmentRow | undefined> {
    const [row]: AttachmentRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM attachments a
       WHERE a.id = $1 AND a.ready
         AND EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = a.room_id AND m.user_id = $2)`,
      [id, userId],
    );
    return row;
  }

  /** The subset of `ids` that `userId` may read now. */
  readableMany(ids: string[], userId: string): Promise<AttachmentRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM attachments a
       WHERE a.id = ANY($1::uuid[]) AND a.ready
         AND EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = a.room_id AND m.user_id = $2)`,
      [ids, userId],
    );
  }

  /** The attachments of these messages, each message's in the order they were sent. */
  ofMessages(messageIds: string[]): Promise<AttachmentRow[]> {
    if (messageIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM attachments a WHERE a.message_id = ANY($1::uuid[]) ORDER BY a.message_id, a.position`,
      [messageIds],
    );
  }

  /**
   * Inside the send transaction: locks the named uploads (in id order, so two senders cannot
   * deadlock) and returns them. The caller checks they are the sender's, of this room, unsent.
   */
  lockForSend(db: EntityManager, ids: string[]): Promise<AttachmentRow[]> {
    return db.query(
      `SELECT ${COLUMNS} FROM attachments a WHERE a.id = ANY($1::uuid[]) ORDER BY a.id FOR UPDATE`,
      [ids],
    );
  }

  async attach(db: EntityManager, ids: string[], messageId: string): Promise<void> {
    await db.query(
      `UPDATE attachments SET message_id = $2, position = array_position($1::uuid[], id)
       WHERE id = ANY($1::uuid[])`,
      [ids, messageId],
    );
  }

  /**
   * Uploads never sent within the grace period (or never completed) are deleted, at most `limit` per
   * call; SKIP LOCKED leaves alone an upload a sender holds right now.
   */
  async expireUnsent(graceSeconds: number, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH expired AS (
         SELECT id FROM attachments
         WHERE message_id IS NULL AND created_at < now() - make_interval(secs => $1)
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       DELETE FROM attachments a USING expired WHERE a.id = expired.id RETURNING a.id`,
      [graceSeconds, limit],
    );
    return rows.length;
  }

  async queueDeletions(keys: string[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO attachment_deletions (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING`,
      [keys],
    );
  }

  /** The oldest keys waiting for their bytes to be deleted. */
  async queuedDeletions(limit: number): Promise<string[]> {
    const rows: { key: string }[] = await this.dataSource.query(
      `SELECT key FROM attachment_deletions ORDER BY queued_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.key);
  }

  async deletionsDone(keys: string[]): Promise<void> {
    await this.dataSource.query(`DELETE FROM attachment_deletions WHERE key = ANY($1::text[])`, [keys]);
  }

  /**
   * The collector's lease: true if `holder` has it (taken now, or still its own) for `seconds`. One
   * instance at a time collects; if it dies, another takes over when the lease runs out. A row rather
   * than an advisory lock: a session lock needs a connection held for the whole run, and PGlite has one.
   */
  async takeCollectorLease(holder: string, seconds: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE attachment_collector SET holder = $1, lease_until = now() + make_interval(secs => $2)
       WHERE holder = $1 OR lease_until < now() RETURNING holder`,
      [holder, seconds],
    );
    return rows.length === 1;
  }
}
