import { Body, Controller, Delete, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

import type { User } from '@chat/contracts';

import type { AuthUser, TokenClaims } from '../auth/auth-user';
import { CurrentToken } from '../auth/current-token.decorator';
import { CurrentUser } from '../common/current-user.decorator';
import { ErrorResponse, UserResponse } from '../common/openapi/schemas';
import { AccountService } from './account.service';
import { ChangePasswordDto, DeleteAccountDto, UpdateProfileDto } from './dto/account.dto';

@ApiTags('account')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: ErrorResponse, description: 'VALIDATION, e.g. a wrong current password' })
@ApiTooManyRequestsResponse({
  type: ErrorResponse,
  description: 'Too many wrong passwords (the login throttle)',
})
@Controller('account')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Patch()
  @ApiOkResponse({ type: UserResponse, description: 'The rooms you are in get `user:updated`' })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateProfileDto): Promise<User> {
    return this.account.updateProfile(user, dto.displayName);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({
    description: 'Every other session ends (tokens refused, sockets closed); this one stays',
  })
  changePassword(
    @CurrentUser() user: AuthUser,
    @CurrentToken() claims: TokenClaims,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    return this.account.changePassword(user, claims, dto.currentPassword, dto.newPassword);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({
    description:
      'Messages stay, from "Deleted user"; every session and socket ends; owned rooms go to their longest-standing admin (else member) or are archived',
  })
  delete(@CurrentUser() user: AuthUser, @Body() dto: DeleteAccountDto): Promise<void> {
    return this.account.delete(user, dto.password);
  }
}
