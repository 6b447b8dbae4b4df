import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Ip,
  Param,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import type { AuthResponse, AuthSessionList, User } from '@chat/contracts';

import { CurrentUser } from '../common/current-user.decorator';
import {
  AuthResponseDto,
  AuthSessionListResponse,
  ErrorResponse,
  UserResponse,
} from '../common/openapi/schemas';
import { Public } from '../common/public.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { toUser } from '../users/users.mapper';
import { UsersService } from '../users/users.service';
import type { AuthUser, TokenClaims } from './auth-user';
import { AuthService } from './auth.service';
import { CurrentToken } from './current-token.decorator';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Username taken' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Too many sign-ups from this address' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'Too many password hashes at once' })
  register(
    @Body() dto: RegisterDto,
    @Ip() address: string,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<AuthResponse> {
    return this.auth.register(dto, { address, userAgent });
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Unknown user or wrong password (same body)' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponse,
    description: 'Too many attempts from this address, or failures for this account',
  })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'Too many password hashes at once' })
  login(
    @Body() dto: LoginDto,
    @Ip() address: string,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<AuthResponse> {
    return this.auth.login(dto, { address, userAgent });
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOkResponse({
    type: AuthResponseDto,
    description:
      'A new token in the same session as the given one; give it to open sockets with auth:refresh. Refused once the session has ended.',
  })
  refresh(
    @CurrentUser() user: AuthUser,
    @CurrentToken() claims: TokenClaims,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<AuthResponse> {
    return this.auth.refresh(user, claims, { userAgent });
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description:
      "Ends this token's session: every token of it is refused from now on (refreshed ones too), and its sockets are disconnected on every instance",
  })
  logout(@CurrentToken() claims: TokenClaims): Promise<void> {
    return this.sessions.logout(claims);
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description: 'Ends every session of the caller, this one included, on every device',
  })
  logoutAll(@CurrentUser() user: AuthUser, @CurrentToken() claims: TokenClaims): Promise<void> {
    return this.sessions.logoutAll(user.id, claims);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOkResponse({ type: AuthSessionListResponse, description: "The caller's open sessions" })
  async listSessions(
    @CurrentUser() user: AuthUser,
    @CurrentToken() claims: TokenClaims,
  ): Promise<AuthSessionList> {
    return { sessions: await this.sessions.list(user.id, claims.sid) };
  }

  @Delete('sessions/:sessionId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Ends that session of the caller (its tokens and sockets)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No open session of the caller with this id' })
  endSession(
    @CurrentUser() user: AuthUser,
    @Param('sessionId', UuidParam('sessionId')) sessionId: string,
  ): Promise<void> {
    return this.sessions.end(user.id, sessionId);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() user: AuthUser): Promise<User> {
    return toUser(await this.users.getById(user.id));
  }
}
