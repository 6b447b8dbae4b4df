import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';

import type {
  AuthRefreshPayload,
  MessageDeletePayload,
  MessageEditPayload,
  MessageReadPayload,
  MessageSendPayload,
  ReactionPayload,
  RoomJoinPayload,
  RoomLeavePayload,
  TypingPayload,
} from '@chat/contracts';
import { Limits } from '@chat/contracts';

import { IsSingleEmoji } from '../../common/emoji.validator';
import { IsStorableText, IsTextLength } from '../../common/text.validators';
import { IsCanonicalUuid, IsCanonicalUuids } from '../../common/uuid.validators';

/** Validation of every client → server socket payload; a failure is answered with a VALIDATION ack. */

export class RoomIdDto implements RoomJoinPayload, RoomLeavePayload {
  @IsCanonicalUuid()
  roomId!: string;
}

const hasAttachments = (dto: MessageSendDto) =>
  Array.isArray(dto.attachmentIds) && dto.attachmentIds.length > 0;

export class MessageSendDto implements MessageSendPayload {
  @IsCanonicalUuid()
  roomId!: string;

  /** Blank is allowed only beside attachments (a screenshot needs no words). */
  @IsString()
  @IsTextLength(0, Limits.MESSAGE_BODY_MAX)
  @ValidateBy({
    name: 'notBlankWithoutAttachments',
    validator: {
      validate: (body: unknown, args) =>
        typeof body === 'string' && (/\S/.test(body) || hasAttachments(args?.object as MessageSendDto)),
      defaultMessage: () => 'body must not be blank',
    },
  })
  @IsStorableText()
  body!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(Limits.CLIENT_MSG_ID_MAX)
  @Matches(/^[A-Za-z0-9_:.-]+$/, { message: 'clientMsgId may contain only letters, digits and _ : . -' })
  clientMsgId!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(Limits.ATTACHMENTS_PER_MESSAGE)
  @ArrayUnique()
  @IsCanonicalUuids()
  attachmentIds?: string[];

  @IsOptional()
  @IsCanonicalUuid()
  threadRootId?: string;
}

export class MessageEditDto implements MessageEditPayload {
  @IsCanonicalUuid()
  messageId!: string;

  @IsString()
  @IsTextLength(1, Limits.MESSAGE_BODY_MAX)
  @Matches(/\S/, { message: 'body must not be blank' })
  @IsStorableText()
  body!: string;
}

export class MessageIdDto implements MessageDeletePayload {
  @IsCanonicalUuid()
  messageId!: string;
}

export class ReactionDto implements ReactionPayload {
  @IsCanonicalUuid()
  messageId!: string;

  @IsSingleEmoji()
  emoji!: string;
}

export class MessageReadDto implements MessageReadPayload {
  @IsCanonicalUuid()
  roomId!: string;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  seq!: number;
}

export class TypingDto implements TypingPayload {
  @IsCanonicalUuid()
  roomId!: string;

  @IsBoolean()
  isTyping!: boolean;
}

export class AuthRefreshDto implements AuthRefreshPayload {
  @IsString()
  @Length(1, 4096)
  token!: string;
}
