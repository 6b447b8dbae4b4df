import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import type {
  BotApiKey,
  BotApiKeyKind,
  CreateBotResponse,
  IncomingWebhook,
  MessageSendResult,
  RoomBot,
  User,
  UserRef,
} from '@chat/contracts';
import { ClientEvent } from '@chat/contracts';

import { ClientEventBudgets } from '../chat/client-event-budgets';
import { AppError } from '../common/app-error';
import { isUniqueViolation } from '../common/postgres-errors';
import { MessagesService, SendRequest } from '../messages/messages.service';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { assertOwner } from '../rooms/room-owner';
import { RoomsRepository } from '../rooms/rooms.repository';
import { RoomsService } from '../rooms/rooms.service';
import { newApiKey } from './api-key';
import { BotsRepository } from './bots.repository';
import { CreateBotDto } from './dto/create-bot.dto';

/** Argon2 never verifies this: a bot cannot sign in with a password, only use its keys. */
const NO_PASSWORD = '!';

@Injectable()
export class BotsService {
  constructor(
    private readonly bots: BotsRepository,
    private readonly roomsRepo: RoomsRepository,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly budgets: ClientEventBudgets,
    private readonly broadcaster: RealtimeBroadcaster,
  ) {}

  /** The room's owner creates a bot, a member of that room, with a first key scoped to it. */
  async create(ownerId: string, roomId: string, dto: CreateBotDto): Promise<CreateBotResponse> {
    await this.assertOwner(ownerId, roomId);
    let bot: User;
    try {
      bot = await this.bots.insertBot({
        username: dto.username,
        passwordHash: NO_PASSWORD,
        displayName: dto.displayName ?? dto.username,
        createdBy: ownerId,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_lower_key'))
        throw AppError.conflict('Username is already taken');
      throw error;
    }
    try {
      await this.rooms.addMember(ownerId, roomId, bot.id);
    } catch (error) {
      await this.bots.removeBot(bot.id);
      throw error;
    }
    return { bot, apiKey: await this.insertKey(ownerId, bot.id, [roomId], 'api') };
  }

  /** Another key for a bot, by its creator, scoped to rooms the creator owns. The key is shown once. */
  async createKey(callerId: string, botId: string, roomIds: string[]): Promise<BotApiKey> {
    await this.assertCreator(callerId, botId);
    for (const roomId of new Set(roomIds)) await this.assertOwner(callerId, roomId);
    return this.insertKey(callerId, botId, [...new Set(roomIds)], 'api');
  }

  /** A URL that posts to one room as the bot: an API key scoped to that room, inside the path. Shown once. */
  async createIncomingWebhook(callerId: string, botId: string, roomId: string): Promise<IncomingWebhook> {
    await this.assertCreator(callerId, botId);
    await this.assertOwner(callerId, roomId);
    const key = await this.insertKey(callerId, botId, [roomId], 'incoming');
    return incomingWebhook(key);
  }

  /**
   * A new URL for the same room; the old one is refused from the next request on. The new key is
   * stored before the old one is revoked, so a failure in between leaves the old URL working.
   */
  async rotateIncomingWebhook(callerId: string, botId: string, keyId: string): Promise<IncomingWebhook> {
    await this.assertCreator(callerId, botId);
    const old = await this.bots.keyOf(botId, keyId);
    if (!old || old.kind !== 'incoming' || old.revokedAt) throw AppError.notFound('Incoming webhook');
    const rotated = await this.createIncomingWebhook(callerId, botId, old.roomIds[0]);
    await this.revokeKey(callerId, botId, keyId);
    return rotated;
  }

  /** For the room owner's Integrations panel: the bots they made in this room, with their keys. */
  async roomBots(callerId: string, roomId: string): Promise<RoomBot[]> {
    await this.assertOwner(callerId, roomId);
    return this.bots.botsInRoom(roomId, callerId);
  }

  /** The bot's keys, without their secrets. */
  async keys(callerId: string, botId: string): Promise<BotApiKey[]> {
    await this.assertCreator(callerId, botId);
    return this.bots.keysOf(botId);
  }

  /**
   * Idempotent. From the next request on, the key is refused on every instance (it is read per
   * request), and the sockets opened with it are told `session:ended` and closed, on every instance.
   */
  async revokeKey(callerId: string, botId: string, keyId: string): Promise<void> {
    await this.assertCreator(callerId, botId);
    if (!(await this.bots.revokeKey(botId, keyId))) throw AppError.notFound('API key');
    this.broadcaster.endTokenSessions(keyId, { reason: 'logged_out', message: 'This API key was revoked' });
  }

  /**
   * `message:send` over REST: the same idempotency (clientMsgId), seq, membership and rate budget as
   * a socket, because it is the same MessagesService.send and the same per-user budget. A key also
   * has to be scoped to the room.
   */
  async post(sender: UserRef, scope: string[] | null, request: SendRequest): Promise<MessageSendResult> {
    if (scope && !scope.includes(request.roomId)) {
      throw AppError.forbidden('This API key may not post to this room');
    }
    await this.budgets.consume(sender.id, ClientEvent.MESSAGE_SEND);
    return this.messages.send(sender, request);
  }

  private async insertKey(
    callerId: string,
    botId: string,
    roomIds: string[],
    kind: BotApiKeyKind,
  ): Promise<BotApiKey> {
    const id = randomUUID();
    const { key, secretHash } = newApiKey(id);
    const stored = await this.bots.insertKey({ id, botId, secretHash, roomIds, kind, createdBy: callerId });
    return { ...stored, key };
  }

  private async assertOwner(callerId: string, roomId: string): Promise<void> {
    const room = await this.roomsRepo.findEntity(roomId);
    if (!room) throw AppError.notFound('Room');
    assertOwner(room, callerId, 'Only the room owner can manage its bots');
  }

  private async assertCreator(callerId: string, botId: string): Promise<void> {
    const creator = await this.bots.creatorOf(botId);
    if (!creator) throw AppError.notFound('Bot');
    if (creator !== callerId) throw AppError.forbidden('Only the bot’s creator can manage its keys');
  }
}

function incomingWebhook(key: BotApiKey): IncomingWebhook {
  return { keyId: key.id, botId: key.botId, roomId: key.roomIds[0], path: `/api/incoming/${key.key}` };
}
