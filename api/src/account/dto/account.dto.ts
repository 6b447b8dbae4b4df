import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

import { ChangePasswordRequest, DeleteAccountRequest, Limits, UpdateProfileRequest } from '@chat/contracts';

import { IsStorableText, IsTextLength } from '../../common/text.validators';

export class UpdateProfileDto implements UpdateProfileRequest {
  @ApiProperty({ minLength: 1, maxLength: Limits.DISPLAY_NAME_MAX })
  @IsString()
  @IsTextLength(1, Limits.DISPLAY_NAME_MAX)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @IsStorableText()
  displayName!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(Limits.PASSWORD_MAX)
  currentPassword!: string;

  @ApiProperty({ minLength: Limits.PASSWORD_MIN, maxLength: Limits.PASSWORD_MAX })
  @IsString()
  @MinLength(Limits.PASSWORD_MIN)
  @MaxLength(Limits.PASSWORD_MAX)
  newPassword!: string;
}

export class DeleteAccountDto implements DeleteAccountRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(Limits.PASSWORD_MAX)
  password!: string;
}
