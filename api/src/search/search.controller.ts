import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

import type { SearchResults } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/current-user.decorator';
import { ErrorResponse } from '../common/openapi/schemas';
import { SearchResultsResponse } from '../common/openapi/search.schemas';
import { SearchQueryDto } from './dto/search.query';
import { SearchService } from './search.service';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiOkResponse({
    type: SearchResultsResponse,
    description:
      'Messages of rooms the caller is a member of now, best first, with highlighted snippets; people and public rooms by name on the first page',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'VALIDATION with fields: q empty or too long, a bad date, cursor or limit',
  })
  @ApiForbiddenResponse({
    type: ErrorResponse,
    description: 'roomId names a room the caller is not a member of',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'The caller’s search budget is spent' })
  find(@CurrentUser() user: AuthUser, @Query() query: SearchQueryDto): Promise<SearchResults> {
    return this.search.search(user, query);
  }
}
