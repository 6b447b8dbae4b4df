import { Injectable } from '@nestjs/common';

import { ErrorCode, Reaction, ReactionResult } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { summarize } from './reaction-summaries';
import { ReactionsRepository } from './reactions.repository';

/** `reaction:add` / `reaction:remove`: members only, idempotent, a bounded set of emoji per message. */
@Injectable()
export class ReactionsService {
  constructor(
    private readonly reactions: ReactionsRepository,
    private readonly broadcaster: RealtimeBroadcaster,
  ) {}

  /**
   * Stores the change, then tells the room (only when something changed: a repeated add is
   * answered but not broadcast). `keyScope`: the rooms a bot's API key reaches, null for people.
   */
  async change(
    userId: string,
    messageId: string,
    emoji: string,
    add: boolean,
    keyScope: string[] | null,
  ): Promise<ReactionResult> {
    const result = await this.reactions.change(messageId, userId, emoji, add, keyScope);
    if (result.kind === 'noMessage') throw AppError.notFound('Message');
    if (result.kind === 'notMember') throw AppError.forbidden('You are not a member of this room');
    if (result.kind === 'archived') {
      throw new AppError(ErrorCode.ROOM_ARCHIVED, 'This room is archived: it is read-only');
    }
    if (result.kind === 'outOfScope') throw AppError.forbidden('This API key is not scoped to this room');
    if (result.kind === 'limit') {
      throw new AppError(
        ErrorCode.REACTION_LIMIT,
        'This message already has as many different reactions as it may',
      );
    }
    const aggregates = await this.reactions.aggregates([messageId], userId);
    if (result.changed) {
      this.broadcaster.toRoom(result.roomId, 'message:reactions', {
        roomId: result.roomId,
        messageId,
        userId,
        emoji,
        added: add,
        reactions: summarize(aggregates, null).get(messageId) ?? [],
        version: result.version,
      });
    }
    return {
      messageId,
      changed: result.changed,
      reactions: summarize(aggregates, userId).get(messageId) ?? [],
    };
  }

  /** The reactions of each of these messages, as `viewerId` sees them (their own id always listed). */
  async of(messageIds: string[], viewerId: string | null): Promise<Map<string, Reaction[]>> {
    return summarize(await this.reactions.aggregates(messageIds, viewerId), viewerId);
  }
}
