import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

import { AttachmentRow, AttachmentsRepository } from '../attachments/attachments.repository';
import { isUniqueViolation } from '../common/postgres-errors';
import { AllConfig } from '../config/config.type';
import { MESSAGE_COLUMNS, MESSAGE_OWN_COLUMNS, MessageRow } from '../database/rows';
import { chatMetrics } from '../metrics/chat-metrics';

export type InsertedMessageRow = Omit<MessageRow, 'sender_username' | 'sender_display_name'>;

/** What the send path learns from the insert besides the row: a reply's root counters, who to notify. */
export interface StoredMessageRow extends InsertedMessageRow {
  /** A reply's root after this insert; null for a top-level message. */
  root_reply_count: number | null;
  root_last_reply_at: Date | null;
  /** In a direct room, the other participants; null in a group room. */
  direct_peer_ids: string[] | null;
}

/** How a `write` ended: stored now, stored before under this (sender, clientMsgId), or refused. */
export type WriteResult =
  | { kind: 'stored'; row: StoredMessageRow; attachments?: AttachmentRow[] }
  | { kind: 'duplicate'; original: MessageRow }
  | { kind: 'notMember'; roomExists: boolean }
  | { kind: 'archived' }
  /** One of the attachments is not an unsent upload of the sender to this room. */
  | { kind: 'attachmentsUnavailable' };

export interface MessageToInsert {
  roomId: string;
  senderId: string;
  body: string;
  clientMsgId: string;
  /** Checked by the caller: a top-level message of the same room (its room and root never change). */
  threadRootId: string | null;
  /** Lower-cased usernames from the body; the insert keeps those of the room's members as `mentions`. */
  mentionedUsernames: string[];
  /** Distinct ids; a message with attachments is written on its own (see writeWithAttachments). */
  attachmentIds?: string[];
}

/**
 * Members among lower-cased usernames (`names`), in the order named, for the `mentions` column. Only
 * members can be mentioned: a name of someone outside the room stays plain text.
 */
export const MENTIONED_MEMBERS = (roomId: string, names: string) => `ARRAY(
    SELECT u.id FROM users u JOIN memberships mm ON mm.user_id = u.id AND mm.room_id = ${roomId}
    WHERE lower(u.username) = ANY(${names}) ORDER BY array_position(${names}, lower(u.username)))`;

/**
 * What both inserts return for each stored row: the row, its root's counters after the reply (the
 * `roots` CTE bumped them in the same statement, so they commit or roll back with the reply), and in a
 * direct room who else is in it (to notify).
 */
const STORED_COLUMNS = `i.*, roots.reply_count AS root_reply_count, roots.last_reply_at AS root_last_reply_at,
  CASE WHEN i.room_kind = 'direct' THEN ARRAY(
    SELECT pm.user_id FROM memberships pm WHERE pm.room_id = i.room_id AND pm.user_id <> i.sender_id
  ) END AS direct_peer_ids`;

/** Bumps the counters of the roots of the replies in `inserted`, several replies to one root at once. */
const BUMP_ROOTS = `
  roots AS (
    UPDATE messages r SET reply_count = r.reply_count + c.replies, last_reply_at = c.newest
    FROM (
      SELECT thread_root_id, count(*) AS replies, max(created_at) AS newest FROM inserted
      WHERE thread_root_id IS NOT NULL GROUP BY thread_root_id
    ) c
    WHERE r.id = c.thread_root_id
    RETURNING r.id, r.reply_count, r.last_reply_at
  )`;

/**
 * One message, one statement: the UPDATE takes the room row's lock, so concurrent senders (on any
 * instance) queue on it and get consecutive seqs; if the INSERT fails (a duplicate clientMsgId), the
 * whole statement rolls back and the seq is not spent, nor is the root's reply count. An archived
 * room takes nothing: its row lock also orders an archive against concurrent senders (the WHERE is
 * re-read once the lock is granted).
 */
const INSERT_ONE = `
  WITH room AS (
    UPDATE rooms SET last_seq = last_seq + 1
    WHERE id = $1 AND archived_at IS NULL
      AND EXISTS (SELECT 1 FROM memberships WHERE room_id = $1 AND user_id = $2)
    RETURNING last_seq, kind
  ),
  inserted AS (
    INSERT INTO messages (room_id, seq, sender_id, body, client_msg_id, instance_id, thread_root_id, mentions)
    SELECT $1, room.last_seq, $2, $3, $4, $5, $6, ${MENTIONED_MEMBERS('$1', '$7::text[]')} FROM room
    RETURNING ${MESSAGE_OWN_COLUMNS}
  ),
  ${BUMP_ROOTS}
  SELECT ${STORED_COLUMNS}
  FROM (SELECT inserted.*, room.kind AS room_kind FROM inserted, room) i
  LEFT JOIN roots ON roots.id = i.thread_root_id`;

/**
 * Taken before INSERT_MANY in the same transaction. Locking every room of the batch in one global
 * order means two instances' batches never deadlock; and because READ COMMITTED gives each statement
 * a fresh snapshot, INSERT_MANY then sees every message committed by whoever held these locks before.
 */
const LOCK_ROOMS = `SELECT 1 FROM rooms WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`;

/**
 * Many messages, one statement: members' messages whose (sender, clientMsgId) is new are numbered
 * per room in arrival order (`n`), each room's last_seq moves by its count, and the rows take
 * last_seq_before + n — contiguous, in order. Skipped rows (not a member, already stored, archived
 * room) spend no seq.
 */
const INSERT_MANY = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $6::uuid[], $7::text[])
      WITH ORDINALITY AS t(room_id, sender_id, body, client_msg_id, thread_root_id, mentioned_names, ord)
  ),
  accepted AS (
    SELECT i.*, row_number() OVER (PARTITION BY i.room_id ORDER BY i.ord) AS n
    FROM input i
    WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = i.room_id AND m.user_id = i.sender_id)
      AND NOT EXISTS (SELECT 1 FROM rooms r WHERE r.id = i.room_id AND r.archived_at IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM messages x WHERE x.sender_id = i.sender_id AND x.client_msg_id = i.client_msg_id)
  ),
  bumped AS (
    UPDATE rooms r SET last_seq = r.last_seq + c.count
    FROM (SELECT room_id, count(*) AS count FROM accepted GROUP BY room_id) c
    WHERE r.id = c.room_id AND r.archived_at IS NULL
    RETURNING r.id, r.kind, r.last_seq - c.count AS base
  ),
  inserted AS (
    INSERT INTO messages (room_id, seq, sender_id, body, client_msg_id, instance_id, thread_root_id, mentions)
    SELECT a.room_id, b.base + a.n, a.sender_id, a.body, a.client_msg_id, $5, a.thread_root_id,
      ${MENTIONED_MEMBERS('a.room_id', 'a.mentioned_names::text[]')}
    FROM accepted a JOIN bumped b ON b.id = a.room_id
    ORDER BY a.ord
    RETURNING ${MESSAGE_OWN_COLUMNS}
  ),
  ${BUMP_ROOTS}
  SELECT ${STORED_COLUMNS}
  FROM (SELECT inserted.*, b.kind AS room_kind FROM inserted JOIN bumped b ON b.id = inserted.room_id) i
  LEFT JOIN roots ON roots.id = i.thread_root_id`;

const FIND_ORIGINAL = `
  SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
  WHERE m.sender_id = $1 AND m.client_msg_id = $2`;

/** Upper bound of one batch: keeps a statement's parameters and lock set small. */
const MAX_BATCH = 200;
/** Batches in flight per instance; the rest of the pool stays free for history, joins and reads. */
const MAX_IN_FLIGHT = 4;

interface Pending {
  message: MessageToInsert;
  key: string;
  resolve(row: StoredMessageRow | undefined): void;
  reject(error: unknown): void;
}

/**
 * Group commit for `message:send`. A message that arrives while the database is idle is written at
 * once on its own; messages that arrive while batches are in flight wait for the next free slot and
 * go in together, so under load many messages share one transaction and one fsync instead of each
 * paying for its own. No timer: the batch window is exactly the time the previous batch took.
 *
 * `write` says how each message ended; `insert` is the group commit under it, resolving with the
 * stored row or `undefined` (not a member, or the (sender, clientMsgId) pair already exists).
 */
@Injectable()
export class MessageWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Rooms of the batches in flight. */
  private readonly busyRooms = new Set<string>();
  private drainScheduled = false;
  private readonly instanceId: string;
  /** Behind a transaction pooler a connection's prepared statements are not its client's. */
  private readonly namedStatements: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<AllConfig, true>,
    private readonly attachments: AttachmentsRepository,
  ) {
    this.instanceId = config.get('app.instanceId', { infer: true });
    this.namedStatements = !config.get('database.transactionPooling', { infer: true });
  }

  async write(message: MessageToInsert): Promise<WriteResult> {
    if (message.attachmentIds?.length) return this.writeWithAttachments(message, message.attachmentIds);
    const row = await this.insert(message);
    return row ? { kind: 'stored', row } : this.whyNotStored(message);
  }

  /**
   * Outside the group commit, in one transaction: lock the uploads (id order), check each is the
   * sender's, of this room, complete and unsent, insert the message as INSERT_ONE does (the room lock
   * keeps seqs contiguous with the batches), and tie the uploads to it. Two sends naming one upload
   * queue on its row lock, and the second finds it taken, so an upload is on one message at most.
   * A resend of a stored message finds its uploads taken too, and gets the original back.
   */
  private async writeWithAttachments(message: MessageToInsert, ids: string[]): Promise<WriteResult> {
    const { roomId, senderId, body, clientMsgId, threadRootId, mentionedUsernames } = message;
    let outcome: WriteResult | 'refused';
    try {
      outcome = await this.dataSource.transaction(async (db) => {
        const locked = await this.attachments.lockForSend(db, ids);
        const usable = locked.filter(
          (a) => a.ready && a.message_id === null && a.room_id === roomId && a.uploader_id === senderId,
        );
        if (usable.length !== ids.length) return 'refused' as const;
        const [row]: StoredMessageRow[] = await db.query(INSERT_ONE, [
          roomId,
          senderId,
          body,
          clientMsgId,
          this.instanceId,
          threadRootId,
          mentionedUsernames,
        ]);
        if (!row) return 'refused' as const;
        await this.attachments.attach(db, ids, row.id);
        const byId = new Map(usable.map((a) => [a.id, { ...a, message_id: row.id }]));
        return { kind: 'stored' as const, row, attachments: ids.map((id) => byId.get(id)!) };
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'messages_sender_id_client_msg_id_key')) throw error;
      outcome = 'refused';
    }
    if (outcome !== 'refused') return outcome;
    const why = await this.whyNotStored(message);
    if (why.kind === 'notMember' && why.roomExists && (await this.isMember(roomId, senderId))) {
      return { kind: 'attachmentsUnavailable' };
    }
    return why;
  }

  private async isMember(roomId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM memberships WHERE room_id = $1 AND user_id = $2',
      [roomId, userId],
    );
    return rows.length > 0;
  }

  insert(message: MessageToInsert): Promise<StoredMessageRow | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, key: `${message.senderId}:${message.clientMsgId}`, resolve, reject });
      if (!this.drainScheduled) {
        this.drainScheduled = true;
        // Messages read from the network in the same tick join the first batch.
        setImmediate(() => {
          this.drainScheduled = false;
          this.drain();
        });
      }
    });
  }

  /** Off the hot path: only resends and refused senders get here. */
  private async whyNotStored({ roomId, senderId, clientMsgId }: MessageToInsert): Promise<WriteResult> {
    const [original]: MessageRow[] = await this.dataSource.query(FIND_ORIGINAL, [senderId, clientMsgId]);
    if (original) return { kind: 'duplicate', original };
    const [room]: { archived: boolean; member: boolean }[] = await this.dataSource.query(
      `SELECT r.archived_at IS NOT NULL AS archived,
         EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = r.id AND m.user_id = $2) AS member
       FROM rooms r WHERE r.id = $1`,
      [roomId, senderId],
    );
    // Only members learn that the room is archived; anyone else is refused as before.
    if (room?.archived && room.member) return { kind: 'archived' };
    return { kind: 'notMember', roomExists: Boolean(room) };
  }

  private drain(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.takeBatch();
      // Every queued message is of a room a batch in flight holds: that batch's end drains again.
      if (batch.length === 0) return;
      const rooms = new Set(batch.map((pending) => pending.message.roomId));
      for (const room of rooms) this.busyRooms.add(room);
      this.inFlight++;
      void this.writeBatch(batch).finally(() => {
        for (const room of rooms) this.busyRooms.delete(room);
        this.inFlight--;
        this.drain();
      });
    }
  }

  /**
   * In arrival order, skipping a (sender, clientMsgId) already in the batch: a retry racing its
   * original goes in the next batch, where it finds the original stored. A room that a batch in flight
   * already holds is left for a later batch, whole: two batches of this instance naming one room would
   * only queue on its row lock, each holding a pool connection, and under load every batch shares a
   * room with another, so they ran one after the other. Kept disjoint, they commit side by side, and a
   * room's messages still go in in arrival order.
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const keys = new Set<string>();
    const rest: Pending[] = [];
    for (const pending of this.queue) {
      if (batch.length < MAX_BATCH && !keys.has(pending.key) && !this.busyRooms.has(pending.message.roomId)) {
        batch.push(pending);
        keys.add(pending.key);
      } else {
        rest.push(pending);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    chatMetrics.messageBatchSize.observe(batch.length);
    if (batch.length === 1) {
      await this.writeOne(batch[0]);
      return;
    }
    let rows: StoredMessageRow[];
    try {
      rows = await this.insertMany(batch.map((pending) => pending.message));
    } catch (error) {
      if (!isAboutTheBatchContent(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // E.g. a clientMsgId racing on another instance for another room, or a deadlock with a
      // single-row writer: nothing of the batch was stored, and on its own each message gets its own
      // outcome, so one bad message never fails the others.
      await Promise.all(batch.map((pending) => this.writeOne(pending)));
      return;
    }
    const stored = new Map(rows.map((row) => [`${row.sender_id}:${row.client_msg_id}`, row]));
    for (const pending of batch) pending.resolve(stored.get(pending.key));
  }

  private async writeOne(pending: Pending): Promise<void> {
    const { roomId, senderId, body, clientMsgId, threadRootId, mentionedUsernames } = pending.message;
    try {
      const rows = await this.statement<StoredMessageRow>(
        this.dataSource.manager,
        'chat_insert_one',
        INSERT_ONE,
        [roomId, senderId, body, clientMsgId, this.instanceId, threadRootId, mentionedUsernames],
      );
      pending.resolve(rows[0]);
    } catch (error) {
      if (isUniqueViolation(error, 'messages_sender_id_client_msg_id_key')) pending.resolve(undefined);
      else pending.reject(error);
    }
  }

  private insertMany(messages: MessageToInsert[]): Promise<StoredMessageRow[]> {
    const roomIds = [...new Set(messages.map((m) => m.roomId))].sort();
    const params = [
      messages.map((m) => m.roomId),
      messages.map((m) => m.senderId),
      messages.map((m) => m.body),
      messages.map((m) => m.clientMsgId),
      this.instanceId,
      messages.map((m) => m.threadRootId),
      // unnest cannot take a ragged array of arrays: each row's names travel as one array literal.
      messages.map((m) => toArrayLiteral(m.mentionedUsernames)),
    ];
    // One room (a busy room's burst, the common case): the statement's own UPDATE of that room's row
    // is its only lock, as for INSERT_ONE, so there is no order to keep with other batches and no
    // transaction to wrap it in — one round trip to Postgres instead of four (BEGIN, lock, insert,
    // COMMIT). The UPDATE re-reads the row once its lock is granted, last_seq and archived_at included;
    // a clientMsgId committed meanwhile by another instance trips the unique index and the batch is
    // retried message by message, as for a multi-room batch.
    if (roomIds.length === 1) {
      return this.statement(this.dataSource.manager, 'chat_insert_many', INSERT_MANY, params);
    }
    return this.dataSource.transaction(async (manager) => {
      await this.statement(manager, 'chat_lock_rooms', LOCK_ROOMS, [roomIds]);
      return this.statement(manager, 'chat_insert_many', INSERT_MANY, params);
    });
  }

  /**
   * A named (prepared) statement where possible: Postgres parses and plans the send path's statements
   * once per connection instead of once per message or batch — measured at 0.6–1 ms of its CPU per
   * batch, as much as it spends executing a batch of five.
   */
  private async statement<T>(
    manager: EntityManager,
    name: string,
    text: string,
    values: unknown[],
  ): Promise<T[]> {
    if (!this.namedStatements) return manager.query(text, values);
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const result = await client.query<T & object>({ name, text, values });
      return result.rows;
    } finally {
      // A runner of our own goes back to the pool; a transaction's is released by the transaction.
      if (!manager.queryRunner) await runner.release();
    }
  }
}

/** Usernames are [A-Za-z0-9_.-]: nothing in them needs quoting in an array literal. */
const toArrayLiteral = (names: string[]): string => `{${names.join(',')}}`;

/**
 * SQLSTATE classes 22 (data), 23 (integrity) and 40 (rollback: deadlock, serialization) abort the
 * whole batch because of one of its rows or of a race; anything else (the database is unreachable,
 * a timeout) would fail each message alone just the same.
 */
function isAboutTheBatchContent(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^(22|23|40)/.test(code);
}
