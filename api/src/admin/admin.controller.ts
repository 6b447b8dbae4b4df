import { Controller, Delete, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';

import { SessionsService } from '../auth/sessions.service';
import { Public } from '../common/public.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { UsersService } from '../users/users.service';
import { AdminTokenGuard } from './admin-token.guard';

/** Operator actions, authenticated with ADMIN_TOKEN rather than a user's JWT. */
@ApiTags('admin')
@ApiBearerAuth()
@Public()
@UseGuards(AdminTokenGuard)
@Controller('admin')
export class AdminController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('users/:id/suspension')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({
    description:
      'Tokens and sign-in refused from now on; every socket of the user is disconnected on every instance',
  })
  suspend(@Param('id', UuidParam('id')) userId: string): Promise<void> {
    return this.sessions.suspend(userId);
  }

  @Delete('users/:id/suspension')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async reinstate(@Param('id', UuidParam('id')) userId: string): Promise<void> {
    await this.users.setSuspended(userId, false);
  }
}
