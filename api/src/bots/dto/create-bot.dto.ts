import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

import { CreateBotRequest, Limits } from '@chat/contracts';

import { IsStorableText, IsTextLength } from '../../common/text.validators';

export class CreateBotDto implements CreateBotRequest {
  @ApiProperty({
    minLength: Limits.USERNAME_MIN,
    maxLength: Limits.USERNAME_MAX,
    pattern: '^[a-zA-Z0-9_.-]+$',
  })
  @IsString()
  @Length(Limits.USERNAME_MIN, Limits.USERNAME_MAX)
  @Matches(Limits.USERNAME_PATTERN, { message: 'username may contain only letters, digits, _ . and -' })
  username!: string;

  @ApiPropertyOptional({ maxLength: Limits.DISPLAY_NAME_MAX, description: 'Defaults to the username' })
  @IsOptional()
  @IsString()
  @IsTextLength(1, Limits.DISPLAY_NAME_MAX)
  @IsStorableText()
  displayName?: string;
}
