import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import { CreateIncomingWebhookRequest, IncomingWebhookMessage, Limits } from '@chat/contracts';

import { IsStorableText, IsTextLength } from '../../common/text.validators';
import { IsCanonicalUuid } from '../../common/uuid.validators';

export class CreateIncomingWebhookDto implements CreateIncomingWebhookRequest {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  roomId!: string;
}

/** Slack-style `text`, or `body` as in `message:send`; the same rules either way. */
export class IncomingMessageDto implements IncomingWebhookMessage {
  @ApiPropertyOptional({ maxLength: Limits.MESSAGE_BODY_MAX })
  @IsOptional()
  @IsString()
  @IsTextLength(1, Limits.MESSAGE_BODY_MAX)
  @Matches(/\S/, { message: 'text must not be blank' })
  @IsStorableText()
  text?: string;

  @ApiPropertyOptional({ maxLength: Limits.MESSAGE_BODY_MAX })
  @IsOptional()
  @IsString()
  @IsTextLength(1, Limits.MESSAGE_BODY_MAX)
  @Matches(/\S/, { message: 'body must not be blank' })
  @IsStorableText()
  body?: string;

  @ApiPropertyOptional({ maxLength: Limits.CLIENT_MSG_ID_MAX })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(Limits.CLIENT_MSG_ID_MAX)
  @Matches(/^[A-Za-z0-9_:.-]+$/, { message: 'clientMsgId may contain only letters, digits and _ : . -' })
  clientMsgId?: string;
}
