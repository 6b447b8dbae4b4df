import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';

import type { BotApiKey, CreateBotResponse, IncomingWebhook, RoomBot } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/current-user.decorator';
import { NoContentRoute, RoomManagementApi } from '../common/openapi/route.decorators';
import { ErrorResponse } from '../common/openapi/schemas';
import { UuidParam } from '../common/uuid-param.pipe';
import { BotsService } from './bots.service';
import { CreateBotKeyDto } from './dto/create-bot-key.dto';
import { CreateBotDto } from './dto/create-bot.dto';
import { CreateIncomingWebhookDto } from './dto/incoming.dto';

@RoomManagementApi('bots')
@Controller()
export class BotsController {
  constructor(private readonly bots: BotsService) {}

  @Post('rooms/:id/bots')
  @ApiCreatedResponse({
    description: 'The bot (a member of the room) and its first API key, shown this once',
  })
  @ApiConflictResponse({ type: ErrorResponse })
  create(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: CreateBotDto,
  ): Promise<CreateBotResponse> {
    return this.bots.create(user.id, roomId, dto);
  }

  @Get('rooms/:id/bots')
  @ApiOkResponse({ description: 'The bots the caller made in this room, with their keys (no secrets)' })
  roomBots(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<RoomBot[]> {
    return this.bots.roomBots(user.id, roomId);
  }

  @Post('bots/:id/keys')
  @ApiCreatedResponse({ description: 'A new API key, shown this once' })
  createKey(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) botId: string,
    @Body() dto: CreateBotKeyDto,
  ): Promise<BotApiKey> {
    return this.bots.createKey(user.id, botId, dto.roomIds);
  }

  @Post('bots/:id/incoming-webhooks')
  @ApiCreatedResponse({ description: 'The URL path that posts to the room as the bot, shown this once' })
  createIncomingWebhook(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) botId: string,
    @Body() dto: CreateIncomingWebhookDto,
  ): Promise<IncomingWebhook> {
    return this.bots.createIncomingWebhook(user.id, botId, dto.roomId);
  }

  @Post('bots/:id/incoming-webhooks/:keyId/rotate')
  @ApiCreatedResponse({ description: 'A new URL for the same room, shown this once; the old one is revoked' })
  rotateIncomingWebhook(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) botId: string,
    @Param('keyId', UuidParam('keyId')) keyId: string,
  ): Promise<IncomingWebhook> {
    return this.bots.rotateIncomingWebhook(user.id, botId, keyId);
  }

  @Get('bots/:id/keys')
  @ApiOkResponse({ description: 'The bot’s keys, without their secrets' })
  keys(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) botId: string): Promise<BotApiKey[]> {
    return this.bots.keys(user.id, botId);
  }

  @Delete('bots/:id/keys/:keyId')
  @NoContentRoute('Revoked (idempotent)')
  revokeKey(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) botId: string,
    @Param('keyId', UuidParam('keyId')) keyId: string,
  ): Promise<void> {
    return this.bots.revokeKey(user.id, botId, keyId);
  }
}
