import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';

import type { Webhook, WebhookDelivery } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/current-user.decorator';
import { NoContentRoute, OkRoute, RoomManagementApi } from '../common/openapi/route.decorators';
import { UuidParam } from '../common/uuid-param.pipe';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { WebhooksService } from './webhooks.service';

@RoomManagementApi('webhooks', 'Room owners only')
@Controller('rooms/:id/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiCreatedResponse({ description: 'The webhook with its signing secret, shown this once' })
  create(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: CreateWebhookDto,
  ): Promise<Webhook> {
    return this.webhooks.create(user.id, roomId, dto);
  }

  @Get()
  @ApiOkResponse({ description: 'The room’s webhooks, without secrets' })
  list(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<Webhook[]> {
    return this.webhooks.list(user.id, roomId);
  }

  @Delete(':webhookId')
  @NoContentRoute()
  remove(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('webhookId', UuidParam('webhookId')) webhookId: string,
  ): Promise<void> {
    return this.webhooks.remove(user.id, roomId, webhookId);
  }

  @Post(':webhookId/enable')
  @OkRoute({ description: 'Enabled again, failure count reset' })
  enable(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('webhookId', UuidParam('webhookId')) webhookId: string,
  ): Promise<Webhook> {
    return this.webhooks.enable(user.id, roomId, webhookId);
  }

  @Get(':webhookId/deliveries')
  @ApiOkResponse({ description: 'The latest 100 delivery attempts, newest first' })
  deliveries(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('webhookId', UuidParam('webhookId')) webhookId: string,
  ): Promise<WebhookDelivery[]> {
    return this.webhooks.deliveries(user.id, roomId, webhookId);
  }
}
