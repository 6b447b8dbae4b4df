import { Injectable } from '@nestjs/common';

import {
  ErrorCode,
  Limits,
  Message,
  MessagePage,
  MessageReadResult,
  MessageSendResult,
  UserRef,
} from '@chat/contracts';

import { AppError } from '../common/app-error';
import { toMessage } from '../database/rows';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { MembershipsRepository } from '../rooms/memberships.repository';
import { RoomsService } from '../rooms/rooms.service';
import { HistoryQueryDto } from './dto/history.query';
import { MessageHooks } from './message-hooks';
import { InsertedMessageRow, MessageWriter } from './message-writer';
import { MessagesRepository } from './messages.repository';

@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly memberships: MembershipsRepository,
    private readonly rooms: RoomsService,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly writer: MessageWriter,
    private readonly hooks: MessageHooks,
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
    if (result.kind === 'archived') throw roomArchived();
    if (result.kind === 'notMember') {
      throw result.roomExists
        ? AppError.forbidden('You are not a member of this room')
        : AppError.notFound('Room');
    }
    if (result.kind === 'duplicate') {
      if (result.original.room_id !== roomId) {
        throw AppError.conflict('This clientMsgId was already used for another room');
      }
      // Only a member may have it announced again: not someone banned or gone since the first send.
      await this.rooms.assertMember(roomId, sender.id);
      const original = toMessage(result.original);
      await this.hooks.run('message.created', original);
      this.broadcaster.toRoom(roomId, 'message:new', original);
      return { message: original, duplicate: true };
    }
    const message = toMessage({
      ...result.row,
      sender_username: sender.username,
      sender_display_name: sender.displayName,
      sender_is_bot: sender.isBot === true,
    });
    await this.hooks.run('message.created', message);
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
    const rows =
      query.after !== undefined
        ? await this.messages.after(roomId, query.after, limit + 1)
        : await this.messages.before(roomId, query.before ?? null, limit + 1);
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit).map(toMessage);
    return { messages: query.after !== undefined ? page : page.reverse(), hasMore };
  }

  /** The sender edits their message, while still a member of its room. */
  async edit(editor: UserRef, messageId: string, body: string): Promise<Message> {
    return this.changed(editor, messageId, await this.messages.editBody(messageId, editor.id, body));
  }

  /** Soft delete: the message keeps its seq (no gap for clients) and loses its body. */
  async delete(editor: UserRef, messageId: string): Promise<Message> {
    return this.changed(editor, messageId, await this.messages.softDelete(messageId, editor.id));
  }

  /** Moves the member's read marker forward (never back, never past the last message) and tells the room. */
  async markRead(userId: string, roomId: string, seq: number): Promise<MessageReadResult> {
    const advanced = await this.memberships.advanceReadMarker(roomId, userId, seq);
    if (advanced !== null) {
      this.broadcaster.toRoom(roomId, 'receipt', { roomId, userId, seq: advanced });
      return { lastReadSeq: advanced };
    }
    await this.rooms.assertMember(roomId, userId);
    return { lastReadSeq: (await this.memberships.readMarker(roomId, userId)) ?? 0 };
  }

  private async changed(
    editor: UserRef,
    messageId: string,
    row: InsertedMessageRow | undefined,
  ): Promise<Message> {
    if (!row) throw await this.whyNotEditable(editor.id, messageId);
    const message = toMessage({
      ...row,
      sender_username: editor.username,
      sender_display_name: editor.displayName,
      sender_is_bot: editor.isBot === true,
    });
    await this.hooks.run('message.updated', message);
    this.broadcaster.toRoom(message.roomId, 'message:updated', message);
    return message;
  }

  private async whyNotEditable(userId: string, messageId: string): Promise<AppError> {
    const message = await this.messages.editability(messageId, userId);
    if (!message || message.deleted) return AppError.notFound('Message');
    if (message.sender_id !== userId) return AppError.forbidden('Only the sender can change a message');
    if (message.system) return AppError.forbidden('System messages cannot be changed');
    if (!message.member) return AppError.forbidden('You are not a member of this room');
    return roomArchived();
  }
}

function roomArchived(): AppError {
  return new AppError(ErrorCode.ROOM_ARCHIVED, 'This room is archived: it is read-only');
}
