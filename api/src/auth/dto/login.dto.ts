import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

import { Limits, LoginRequest } from '@chat/contracts';

/** Deliberately loose: a login with a malformed username is simply a failed login (401), not a hint. */
export class LoginDto implements LoginRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(Limits.USERNAME_MAX * 4)
  username!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(Limits.PASSWORD_MAX)
  password!: string;
}
