import { Injectable } from '@nestjs/common';

import {
  Attachment,
  ErrorCode,
  Limits,
  MentionEvent,
  Message,
  MessagePage,
  MessageReadResult,
  MessageSendResult,
  UserRef,
} from '@chat/contracts';

import { AttachmentCollector } from '../attachments/attachment-collector';
import { AttachmentsRepository, toAttachment } from '../attachments/attachments.repository';
import { AppError } from '../common/app-error';
import { toMessage } from '../database/rows';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { MembershipsRepository } from '../rooms/memberships.repository';
import { RoomsService } from '../rooms/rooms.service';
import { HistoryQueryDto } from './dto/history.query';
import { mentionedUsernames } from './mentions';
import { MessageHooks } from './message-hooks';
import { InsertedMessageRow, MessageWriter } from './message-writer';
import { MessagesRepository, Timeline } from './messages.repository';
import { ReactionsService } from './reactions.service';

/** What `message:send` and `POST …/messages` carry. */
export interface SendRequest {
  roomId: string;
  body: string;
  clientMsgId: string;
  threadRootId?: string;
  attachmentIds?: string[];
}

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
    private readonly reactions: ReactionsService,
  ) {}

  /**
   * Stores, then broadcasts: the ack and `message:new` only ever describe a committed row.
   * A clientMsgId seen before returns the original message and broadcasts it again: a resend means
   * the sender never saw an ack, and the first broadcast may never have happened (the commit
   * succeeded but its answer was lost, or the instance died right after). Members already holding
   * that seq drop the repeat (the SDK does; the contract says seq identifies a message in its room).
   * A reply's `message:new` carries its root's new counters (`threadRoot`): the root's update.
   */
  async send(sender: UserRef, request: SendRequest): Promise<MessageSendResult> {
    const { roomId, body, clientMsgId, attachmentIds } = request;
    const threadRootId = request.threadRootId ?? null;
    if (threadRootId) await this.assertThreadRoot(sender.id, roomId, threadRootId);
    const result = await this.writer.write({
      roomId,
      senderId: sender.id,
      body,
      clientMsgId,
      threadRootId,
      mentionedUsernames: mentionedUsernames(body),
      attachmentIds,
    });
    if (result.kind === 'archived') throw roomArchived();
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
      const [original] = await this.decorate([toMessage(result.original)], null);
      await this.hooks.run('message.created', original);
      this.broadcaster.toRoom(roomId, 'message:new', original);
      this.notify(original, await this.messages.directPeersOf(roomId, sender.id));
      return { message: original, duplicate: true };
    }
    const { row } = result;
    const message: Message = {
      ...toMessage({
        ...row,
        sender_username: sender.username,
        sender_display_name: sender.displayName,
        sender_is_bot: sender.isBot === true,
      }),
      ...(row.root_reply_count !== null && {
        threadRoot: {
          replyCount: row.root_reply_count,
          lastReplyAt: row.root_last_reply_at?.toISOString() ?? null,
        },
      }),
      ...(result.attachments && { attachments: result.attachments.map(toAttachment) }),
    };
    // Delivered first, then handed to the hooks (webhook deliveries queued) before the ack: the room
    // need not wait for that round trip to Redis. If a hook fails, the send fails and the sender's
    // retry (same clientMsgId) runs the hooks and announces the message again; clients keep one copy
    // per seq.
    this.broadcaster.toRoom(roomId, 'message:new', message);
    this.notify(message, row.direct_peer_ids ?? []);
    await this.hooks.run('message.created', message);
    return { message, duplicate: false };
  }

  /**
   * Pages the room (all of it, or its top-level messages) or one thread: the root first (its lowest
   * seq), then its replies. Messages come with their reactions and, for replies, their root's counters.
   */
  async history(userId: string, roomId: string, query: HistoryQueryDto): Promise<MessagePage> {
    if (query.before !== undefined && query.after !== undefined) {
      throw AppError.validation({ after: ['before and after cannot be combined'] });
    }
    if (query.around !== undefined && (query.before !== undefined || query.after !== undefined)) {
      throw AppError.validation({ around: ['around cannot be combined with before or after'] });
    }
    if (query.threadRootId !== undefined && query.topLevel) {
      throw AppError.validation({ topLevel: ['topLevel and threadRootId cannot be combined'] });
    }
    await this.rooms.assertMember(roomId, userId);
    const timeline: Timeline = query.threadRootId
      ? { kind: 'thread', rootId: query.threadRootId }
      : { kind: query.topLevel ? 'topLevel' : 'room' };
    if (timeline.kind === 'thread') await this.assertThreadRoot(userId, roomId, timeline.rootId);
    const limit = query.limit ?? Limits.HISTORY_PAGE_DEFAULT;
    if (query.around !== undefined) return this.around(userId, roomId, timeline, query.around, limit);
    // One row more than asked tells whether another page exists.
    const rows =
      query.after !== undefined
        ? await this.messages.after(roomId, timeline, query.after, limit + 1)
        : await this.messages.before(roomId, timeline, query.before ?? null, limit + 1);
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit).map(toMessage);
    const messages = await this.decorate(query.after !== undefined ? page : page.reverse(), userId);
    return { messages, hasMore };
  }

  /**
   * The seq and the messages after it (`newerShown` of them), preceded by as many older ones as fill the
   * page. `hasMore` tells of newer messages beyond it; older ones exist whenever the first seq is above 1.
   */
  private async around(
    userId: string,
    roomId: string,
    timeline: Timeline,
    seq: number,
    limit: number,
  ): Promise<MessagePage> {
    const newerShown = limit - Math.floor(limit / 2);
    const newer = await this.messages.after(roomId, timeline, seq - 1, newerShown + 1);
    const kept = newer.slice(0, newerShown);
    const older = await this.messages.before(roomId, timeline, seq, limit - kept.length);
    const messages = await this.decorate([...older.reverse(), ...kept].map(toMessage), userId);
    return { messages, hasMore: newer.length > newerShown };
  }

  /** The sender edits their message, while still a member of its room. */
  async edit(editor: UserRef, messageId: string, body: string): Promise<Message> {
    const row = await this.messages.editBody(messageId, editor.id, body, mentionedUsernames(body));
    return this.changed(editor, messageId, row);
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
    const [message] = await this.decorate(
      [
        toMessage({
          ...row,
          sender_username: editor.username,
          sender_display_name: editor.displayName,
          sender_is_bot: editor.isBot === true,
        }),
      ],
      null,
    );
    await this.hooks.run('message.updated', message);
    this.broadcaster.toRoom(message.roomId, 'message:updated', message);
    return message;
  }

  /**
   * A reply's root must be a top-level message of the same room. Both properties are fixed when a
   * message is stored, so checking before the insert cannot be raced. A caller who is not a member
   * learns that first, not whether the message exists.
   */
  private async assertThreadRoot(userId: string, roomId: string, rootId: string): Promise<void> {
    const place = await this.messages.placeOf(rootId);
    if (place && place.roomId === roomId && place.threadRootId === null) return;
    await this.rooms.assertMember(roomId, userId);
    throw new AppError(
      ErrorCode.INVALID_THREAD_ROOT,
      place?.roomId === roomId
        ? 'A reply cannot be replied to: reply to its thread root'
        : 'threadRootId is not a message of this room',
    );
  }

  /**
   * Adds what is not in the message's row: its reactions, a reply's root counters, and its
   * attachments (left out where there are none); for history and search.
   */
  async decorate(messages: Message[], viewerId: string | null): Promise<Message[]> {
    if (messages.length === 0) return messages;
    const rootIds = [...new Set(messages.flatMap((m) => (m.threadRootId ? [m.threadRootId] : [])))];
    const [reactions, roots, attachments] = await Promise.all([
      this.reactions.of(
        messages.map((m) => m.id),
        viewerId,
      ),
      this.messages.threadSummaries(rootIds),
      this.attachments.ofMessages(messages.filter((m) => !m.deletedAt).map((m) => m.id)),
    ]);
    const attachmentsOf = new Map<string, Attachment[]>();
    for (const row of attachments) {
      attachmentsOf.set(row.message_id!, [...(attachmentsOf.get(row.message_id!) ?? []), toAttachment(row)]);
    }
    return messages.map((m) => {
      const threadRoot = m.threadRootId ? roots.get(m.threadRootId) : undefined;
      const files = attachmentsOf.get(m.id);
      return {
        ...m,
        reactions: reactions.get(m.id) ?? [],
        ...(threadRoot && { threadRoot }),
        ...(files && { attachments: files }),
      };
    });
  }

  /**
   * `mention` to every member the message mentions (not its sender) and, in a direct room, to the
   * other participant: on their user channel, so it reaches all their sockets on every instance
   * whether or not they joined the room there.
   */
  private notify(message: Message, directPeerIds: string[]): void {
    const event = (reason: MentionEvent['reason']): MentionEvent => ({
      roomId: message.roomId,
      messageId: message.id,
      seq: message.seq,
      reason,
      message,
    });
    const mentioned = new Set(message.mentions.filter((id) => id !== message.senderId));
    for (const userId of mentioned) this.broadcaster.toUser(userId, 'mention', event('mention'));
    for (const userId of directPeerIds) {
      if (!mentioned.has(userId)) this.broadcaster.toUser(userId, 'mention', event('direct'));
    }
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
