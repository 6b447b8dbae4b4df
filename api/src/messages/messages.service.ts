import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Limits, Message, MessagePage, MessageReadResult, MessageSendResult, UserRef } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { MESSAGE_COLUMNS, MessageRow, toMessage } from '../database/rows';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { RoomsService } from '../rooms/rooms.service';
import { HistoryQueryDto } from './dto/history.query';
import { MessageWriter } from './message-writer';

/*
 * UPDATEs are wrapped as `WITH x AS (UPDATE … RETURNING …) SELECT * FROM x`: TypeORM answers a bare
 * UPDATE with [rows, affectedCount] but a SELECT with rows, and one shape everywhere avoids mistakes.
 */
@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomsService,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly writer: MessageWriter,
  ) {}

  /**
   * Stores, then broadcasts: the ack and `message:new` only ever describe a committed row.
   * A clientMsgId seen before returns the original message and broadcasts it again: a resend means
   * the sender never saw an ack, and the first broadcast may never have happened (the commit
   * succeeded but its answer was lost, or the instance died right after). Members already holding
   * that seq drop the repeat (the SDK does; the contract says seq identifies a message in its room).
   */
  async send(sender: UserRef, roomId: string, body: string, clientMsgId: string): Promise<MessageSendResult> {
    const result = await this.writer.write({ roomId, senderId: sender.id, body, clientMsgId });
    if (result.kind === 'notMember') {
      throw result.roomExists
        ? AppError.forbidden('You are not a member of this room')
        : AppError.notFound('Room');
    }
    if (result.kind === 'duplicate') {
      if (result.original.room_id !== roomId) {
        throw AppError.conflict('This clientMsgId was already used for another room');
      }
      const original = toMessage(result.original);
      this.broadcaster.toRoom(roomId, 'message:new', original);
      return { message: original, duplicate: true };
    }
    const message = toMessage({
      ...result.row,
      sender_username: sender.username,
      sender_display_name: sender.displayName,
    });
    this.broadcaster.toRoom(roomId, 'message:new', message);
    return { message, duplicate: false };
  }

  async history(userId: string, roomId: string, query: HistoryQueryDto): Promise<MessagePage> {
    if (query.before !== undefined && query.after !== undefined) {
      throw AppError.validation({ after: ['before and after cannot be combined'] });
    }
    await this.rooms.assertMember(roomId, userId);
    const limit = query.limit ?? Limits.HISTORY_PAGE_DEFAULT;
    // One row more than asked tells whether another page exists.
    const rows: MessageRow[] =
      query.after !== undefined
        ? await this.dataSource.query(
            `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
             WHERE m.room_id = $1 AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3`,
            [roomId, query.after, limit + 1],
          )
        : await this.dataSource.query(
            `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
             WHERE m.room_id = $1 AND ($2::bigint IS NULL OR m.seq < $2) ORDER BY m.seq DESC LIMIT $3`,
            [roomId, query.before ?? null, limit + 1],
          );
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit).map(toMessage);
    return { messages: query.after !== undefined ? page : page.reverse(), hasMore };
  }

  edit(editor: UserRef, messageId: string, body: string): Promise<Message> {
    return this.update(editor, messageId, 'body = $3, edited_at = now()', [body]);
  }

  /** Soft delete: the message keeps its seq (no gap for clients) and loses its body. */
  delete(editor: UserRef, messageId: string): Promise<Message> {
    return this.update(editor, messageId, `body = '', deleted_at = now()`, []);
  }

  /** Moves the member's read marker forward (never back, never past the last message) and tells the room. */
  async markRead(userId: string, roomId: string, seq: number): Promise<MessageReadResult> {
    const advanced: { last_read_seq: string }[] = await this.dataSource.query(
      `WITH advanced AS (
         UPDATE memberships m SET last_read_seq = LEAST($3::bigint, r.last_seq)
         FROM rooms r
         WHERE r.id = m.room_id AND m.room_id = $1 AND m.user_id = $2 AND m.last_read_seq < LEAST($3::bigint, r.last_seq)
         RETURNING m.last_read_seq
       )
       SELECT last_read_seq FROM advanced`,
      [roomId, userId, seq],
    );
    if (advanced.length > 0) {
      const lastReadSeq = Number(advanced[0].last_read_seq);
      this.broadcaster.toRoom(roomId, 'receipt', { roomId, userId, seq: lastReadSeq });
      return { lastReadSeq };
    }
    await this.rooms.assertMember(roomId, userId);
    const [current] = await this.dataSource.query(
      'SELECT last_read_seq FROM memberships WHERE room_id = $1 AND user_id = $2',
      [roomId, userId],
    );
    return { lastReadSeq: Number(current.last_read_seq) };
  }

  private async update(
    editor: UserRef,
    messageId: string,
    assignments: string,
    params: unknown[],
  ): Promise<Message> {
    const rows: Omit<MessageRow, 'sender_username' | 'sender_display_name'>[] = await this.dataSource.query(
      `WITH changed AS (
         UPDATE messages SET ${assignments} WHERE id = $1 AND sender_id = $2 AND deleted_at IS NULL
         RETURNING id, room_id, seq, sender_id, body, client_msg_id, instance_id, created_at, edited_at, deleted_at
       )
       SELECT * FROM changed`,
      [messageId, editor.id, ...params],
    );
    if (rows.length === 0) throw await this.whyNotEditable(editor.id, messageId);
    const message = toMessage({
      ...rows[0],
      sender_username: editor.username,
      sender_display_name: editor.displayName,
    });
    this.broadcaster.toRoom(message.roomId, 'message:updated', message);
    return message;
  }

  private async whyNotEditable(userId: string, messageId: string): Promise<AppError> {
    const [row] = await this.dataSource.query('SELECT sender_id, deleted_at FROM messages WHERE id = $1', [
      messageId,
    ]);
    if (!row || row.deleted_at) return AppError.notFound('Message');
    return AppError.forbidden('Only the sender can change a message');
  }
}
