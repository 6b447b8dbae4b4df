import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import type { User } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/current-user.decorator';
import { UserResponse } from '../common/openapi/schemas';
import { SearchQuery } from './dto/search-users.query';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: [UserResponse], description: 'Users to start a direct conversation with' })
  search(@CurrentUser() user: AuthUser, @Query() query: SearchQuery): Promise<User[]> {
    return this.users.search(user.id, query.search);
  }
}
