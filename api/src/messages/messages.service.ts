import { Injectable } from '@nestjs/common';

import { Limits, Message, MessagePage, MessageReadResult, MessageSendResult, UserRef } from '@chat/contracts';

import { AttachmentCollector } from '../attachments/attachment-collector';
import { AttachmentsRepository, toAttachment } from '../attachments/attachments.repository';
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
    private readonly attachments: AttachmentsRepository,
    private readonly collector: AttachmentCollector,
  ) {}

  /**
   * Stores, then broadcasts: the ack and `message:new` only ever describe a committed row.
   * A clientMsgId seen before returns the original message and broadcasts it again: a resend means
   * the sender never saw an ack, and the first broadcast may never have happened (the commit
   * succeeded but its answer was lost, or the instance died right after). Members already holding
   * that seq drop the repeat (the SDK does; the contract says seq identifies a message in its room).
   */
  async send(
    sender: UserRef,
    roomId: string,
    body: string,
    clientMsgId: string,
    options: { attachmentIds?: string[] } = {},
  ): Promise<MessageSendResult> {
    const { attachmentIds } = options;
    const result = await this.writer.write({ roomId, senderId: sender.id, body, clientMsgId, attachmentIds });
    if (result.kind === 'attachmentsUnavailable') {
      throw AppError.validation({
        attachmentIds: ['each must be your own upload to this room, complete and not sent before'],
      });
    }
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
      const [original] = await this.withAttachments([toMessage(result.original)]);
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
    if (result.attachments.length > 0) message.attachments = result.attachments.map(toAttachment);
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
    const page = await this.withAttachments(rows.slice(0, limit).map(toMessage));
    return { messages: query.after !== undefined ? page : page.reverse(), hasMore };
  }

  /** The sender edits their message, while still a member of its room. */
  async edit(editor: UserRef, messageId: string, body: string): Promise<Message> {
    return this.changed(editor, messageId, await this.messages.editBody(messageId, editor.id, body));
  }

  /**
   * Soft delete: the message keeps its seq (no gap for clients) and loses its body and attachments;
   * their files are deleted from storage before the answer (left queued for the collector if the
   * store fails).
   */
  async delete(editor: UserRef, messageId: string): Promise<Message> {
    const deleted = await this.messages.softDelete(messageId, editor.id);
    if (deleted) await this.collector.deleteNow(deleted.attachmentKeys);
    return this.changed(editor, messageId, deleted?.row);
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
    const [message] = await this.withAttachments([
      toMessage({
        ...row,
        sender_username: editor.username,
        sender_display_name: editor.displayName,
        sender_is_bot: editor.isBot === true,
      }),
    ]);
    await this.hooks.run('message.updated', message);
    this.broadcaster.toRoom(message.roomId, 'message:updated', message);
    return message;
  }

  /** Adds each message's attachments (one query for the page), leaving the field out where there are none. */
  private async withAttachments(messages: Message[]): Promise<Message[]> {
    const rows = await this.attachments.ofMessages(messages.filter((m) => !m.deletedAt).map((m) => m.id));
    if (rows.length === 0) return messages;
    const byMessage = new Map<string, Message['attachments']>();
    for (const row of rows) {
      const list = byMessage.get(row.message_id!) ?? [];
      list.push(toAttachment(row));
      byMessage.set(row.message_id!, list);
    }
    return messages.map((m) => (byMessage.has(m.id) ? { ...m, attachments: byMessage.get(m.id) } : m));
  }

  private async whyNotEditable(userId: string, messageId: string): Promise<AppError> {
    const message = await this.messages.findEntity(messageId);
    if (!message || message.deletedAt) return AppError.notFound('Message');
    if (message.senderId !== userId) return AppError.forbidden('Only the sender can change a message');
    return AppError.forbidden('You are not a member of this room');
  }
}
