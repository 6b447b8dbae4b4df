import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, ValidateIf } from 'class-validator';

import { Limits, UpdateRoomRequest } from '@chat/contracts';

import { IsStorableText, IsTextLength } from '../../common/text.validators';

export class UpdateRoomDto implements UpdateRoomRequest {
  @ApiPropertyOptional({ minLength: Limits.ROOM_NAME_MIN, maxLength: Limits.ROOM_NAME_MAX })
  @IsOptional()
  @IsString()
  @IsTextLength(Limits.ROOM_NAME_MIN, Limits.ROOM_NAME_MAX)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsStorableText()
  name?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: Limits.ROOM_TOPIC_MAX,
    description: 'null or "" clears it',
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @IsTextLength(0, Limits.ROOM_TOPIC_MAX)
  @IsStorableText()
  topic?: string | null;
}
