import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import { CreateRoomRequest, Limits } from '@chat/contracts';

import { IsStorableText, IsTextLength } from '../../common/text.validators';

export class CreateRoomDto implements CreateRoomRequest {
  @ApiProperty({ minLength: Limits.ROOM_NAME_MIN, maxLength: Limits.ROOM_NAME_MAX })
  @IsString()
  @IsTextLength(Limits.ROOM_NAME_MIN, Limits.ROOM_NAME_MAX)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsStorableText()
  name!: string;

  @ApiProperty({ enum: ['public', 'private'] })
  @IsIn(['public', 'private'])
  visibility!: 'public' | 'private';

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: Limits.ROOM_CAPACITY_MAX })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Limits.ROOM_CAPACITY_MAX)
  capacity?: number | null;
}
