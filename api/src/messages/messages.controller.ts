import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';

import type { MessagePage } from '@chat/contracts';

import { UserOrBotKeyGuard, UserOrBotRequest, assertKeyReaches } from '../bots/user-or-bot-key.guard';
import { ErrorResponse, MessagePageResponse } from '../common/openapi/schemas';
import { Public } from '../common/public.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { HistoryQueryDto } from './dto/history.query';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('rooms/:id/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  /** Open to bots (an API key scoped to the room) as well as people: how a bot catches up. */
  @Get()
  @Public()
  @UseGuards(UserOrBotKeyGuard)
  @ApiOkResponse({ type: MessagePageResponse, description: 'Ascending by seq; members only' })
  @ApiForbiddenResponse({
    type: ErrorResponse,
    description: 'Not a member, or the API key is not scoped to the room',
  })
  @ApiNotFoundResponse({ type: ErrorResponse })
  history(
    @Req() request: UserOrBotRequest,
    @Param('id', UuidParam('id')) roomId: string,
    @Query() query: HistoryQueryDto,
  ): Promise<MessagePage> {
    assertKeyReaches(request, roomId);
    return this.messages.history(request.user.id, roomId, query);
  }
}
