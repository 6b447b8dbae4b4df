import { Body, Controller, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';

import type { MessageSendResult } from '@chat/contracts';

import { ErrorResponse } from '../common/openapi/schemas';
import { Public } from '../common/public.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { BotsService } from './bots.service';
import { PostMessageDto } from './dto/post-message.dto';
import { UserOrBotKeyGuard, UserOrBotRequest } from './user-or-bot-key.guard';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('rooms/:id/messages')
export class PostMessageController {
  constructor(private readonly bots: BotsService) {}

  @Post()
  @Public()
  @UseGuards(UserOrBotKeyGuard)
  @ApiCreatedResponse({ description: 'Stored and broadcast: {message, duplicate: false}' })
  @ApiOkResponse({
    description: 'This clientMsgId was stored before: {message: the original, duplicate: true}',
  })
  @ApiForbiddenResponse({
    type: ErrorResponse,
    description: 'Not a member, or the API key is not scoped to the room',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'The sender’s message budget is spent' })
  async post(
    @Req() request: UserOrBotRequest,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: PostMessageDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MessageSendResult> {
    const scope = request.botKeyRoomIds ?? null;
    const result = await this.bots.post(request.user, scope, { roomId, ...dto });
    response.status(result.duplicate ? 200 : 201);
    return result;
  }
}
