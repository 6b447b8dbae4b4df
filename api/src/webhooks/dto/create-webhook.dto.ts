import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';

import { CreateWebhookRequest, WebhookEvent } from '@chat/contracts';

export const WEBHOOK_EVENTS: WebhookEvent[] = ['message.created', 'message.updated'];

export class CreateWebhookDto implements CreateWebhookRequest {
  @ApiProperty({
    example: 'https://example.com/hooks/chat',
    description: 'https, or http to a loopback address',
  })
  @IsString()
  @MaxLength(2_000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events?: WebhookEvent[];
}
