import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';

import { Limits, MessageSendResult } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { ErrorResponse } from '../common/openapi/schemas';
import { Public } from '../common/public.decorator';
import { BotKeys } from './bot-keys';
import { BotsService } from './bots.service';
import { IncomingMessageDto } from './dto/incoming.dto';

const CLIENT_MSG_ID = new RegExp(`^[A-Za-z0-9_:.-]{1,${Limits.CLIENT_MSG_ID_MAX}}$`);

/** Incoming webhooks: the URL is the credential (a bot API key scoped to one room). */
@ApiTags('bots')
@Controller('incoming')
export class IncomingWebhooksController {
  constructor(
    private readonly bots: BotsService,
    private readonly botKeys: BotKeys,
  ) {}

  @Post(':key')
  @Public()
  @ApiCreatedResponse({ description: 'Posted as the bot: {message, duplicate: false}' })
  @ApiOkResponse({ description: 'This clientMsgId was posted before: the original, duplicate: true' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Unknown or revoked URL' })
  async post(
    @Param('key') key: string,
    @Body() dto: IncomingMessageDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MessageSendResult> {
    const bot = await this.botKeys.authenticate(key);
    if (!bot) throw AppError.unauthorized('Unknown or revoked incoming webhook');
    if (bot.roomIds.length !== 1) {
      throw AppError.forbidden(
        'This key is scoped to several rooms: post to /api/rooms/:id/messages instead',
      );
    }
    const body = dto.body ?? dto.text;
    if (body === undefined) throw AppError.validation({ text: ['text (or body) is required'] });
    const clientMsgId = dto.clientMsgId ?? idempotencyKey ?? `incoming:${randomUUID()}`;
    if (!CLIENT_MSG_ID.test(clientMsgId)) {
      throw AppError.validation({
        clientMsgId: ['Idempotency-Key may contain only letters, digits and _ : . -'],
      });
    }
    const [roomId] = bot.roomIds;
    const result = await this.bots.post(bot.user, bot.roomIds, { roomId, body, clientMsgId });
    response.status(result.duplicate ? 200 : 201);
    return result;
  }
}
