import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import type { AuthResponse, User } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { CurrentUser } from '../common/current-user.decorator';
import { AuthResponseDto, ErrorResponse, UserResponse } from '../common/openapi/schemas';
import { Public } from '../common/public.decorator';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { toUser } from '../users/users.mapper';
import { UsersService } from '../users/users.service';
import type { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly broadcaster: RealtimeBroadcaster,
  ) {}

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Username taken' })
  register(@Body() dto: RegisterDto): Promise<AuthResponse> {
    return this.auth.register(dto);
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Unknown user or wrong password (same body)' })
  login(@Body() dto: LoginDto): Promise<AuthResponse> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOkResponse({
    type: AuthResponseDto,
    description: 'A new token for the caller of a valid one; give it to open sockets with auth:refresh',
  })
  refresh(@CurrentUser() user: AuthUser): Promise<AuthResponse> {
    return this.auth.refresh(user);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description:
      'This token is refused from now on, and the sockets opened with it are disconnected on every instance',
  })
  async logout(@Headers('authorization') authorization: string | undefined): Promise<void> {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw AppError.unauthorized('Missing bearer token');
    const tokenId = await this.auth.logout(token);
    if (tokenId) {
      this.broadcaster.endTokenSessions(tokenId, { reason: 'logged_out', message: 'Signed out' });
    }
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() user: AuthUser): Promise<User> {
    return toUser(await this.users.getById(user.id));
  }
}
