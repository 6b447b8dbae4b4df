import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import type {
  BotApiKey,
  CreateBotResponse,
  IncomingWebhook,
  MessageSendResult,
  User,
  UserRef,
} from '@chat/contracts';
import { ClientEvent } from '@chat/contracts';

import { ClientEventBudgets } from '../chat/client-event-budgets';
import { AppError } from '../common/app-error';
import { isUniqueViolation } from '../common/postgres-errors';
import { MessagesService } from '../messages/messages.service';
import { RoomsService } from '../rooms/rooms.service';
import { newApiKey, parseApiKey, secretMatches } from './api-key';
import { CreateBotDto } from './dto/create-bot.dto';

/** Who posts with an API key: the bot, and the rooms that key may post to. */
export interface BotCaller {
  user: UserRef;
  roomIds: string[];
}

interface KeyRow {
  id: string;
  bot_id: string;
  room_ids: string[];
  created_at: Date;
  revoked_at: Date | null;
}

/** Argon2 never verifies this: a bot cannot sign in with a password, only use its keys. */
const NO_PASSWORD = '!';

@Injectable()
export class BotsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly budgets: ClientEventBudgets,
  ) {}

  /** The room's owner creates a bot, a member of that room, with a first key scoped to it. */
  async create(ownerId: string, roomId: string, dto: CreateBotDto): Promise<CreateBotResponse> {
    await this.assertOwner(ownerId, roomId);
    let bot: User;
    try {
      bot = await this.dataSource.transaction(async (manager) => {
        const [row] = await manager.query(
          `INSERT INTO users (username, password_hash, display_name, is_bot) VALUES ($1, $2, $3, true)
           RETURNING id, username, display_name, created_at`,
          [dto.username, NO_PASSWORD, dto.displayName ?? dto.username],
        );
        await manager.query('INSERT INTO bots (user_id, created_by) VALUES ($1, $2)', [row.id, ownerId]);
        return toBotUser(row);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_lower_key'))
        throw AppError.conflict('Username is already taken');
      throw error;
    }
    try {
      await this.rooms.addMember(ownerId, roomId, bot.id);
    } catch (error) {
      await this.dataSource.query('DELETE FROM users WHERE id = $1', [bot.id]);
      throw error;
    }
    return { bot, apiKey: await this.insertKey(ownerId, bot.id, [roomId]) };
  }

  /** Another key for a bot, by its creator, scoped to rooms the creator owns. The key is shown once. */
  async createKey(callerId: string, botId: string, roomIds: string[]): Promise<BotApiKey> {
    await this.assertCreator(callerId, botId);
    for (const roomId of new Set(roomIds)) await this.assertOwner(callerId, roomId);
    return this.insertKey(callerId, botId, [...new Set(roomIds)]);
  }

  /** A URL that posts to one room as the bot: an API key scoped to that room, inside the path. Shown once. */
  async createIncomingWebhook(callerId: string, botId: string, roomId: string): Promise<IncomingWebhook> {
    const key = await this.createKey(callerId, botId, [roomId]);
    return { keyId: key.id, botId, roomId, path: `/api/incoming/${key.key}` };
  }

  /** The bot's keys, without their secrets. */
  async keys(callerId: string, botId: string): Promise<BotApiKey[]> {
    await this.assertCreator(callerId, botId);
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT id, bot_id, room_ids, created_at, revoked_at FROM bot_api_keys WHERE bot_id = $1 ORDER BY created_at`,
      [botId],
    );
    return rows.map(toKey);
  }

  /** Idempotent; from the next request on, the key is refused on every instance (it is read per request). */
  async revokeKey(callerId: string, botId: string, keyId: string): Promise<void> {
    await this.assertCreator(callerId, botId);
    const [row] = await this.dataSource.query(
      `WITH k AS (UPDATE bot_api_keys SET revoked_at = coalesce(revoked_at, now())
                  WHERE id = $1 AND bot_id = $2 RETURNING id) SELECT id FROM k`,
      [keyId, botId],
    );
    if (!row) throw AppError.notFound('API key');
  }

  /** The bot a key belongs to, or null for an unknown, wrong, revoked or suspended one. */
  async authenticate(token: string): Promise<BotCaller | null> {
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const [row] = await this.dataSource.query(
      `SELECT k.secret_hash, k.room_ids, k.revoked_at, u.id, u.username, u.display_name, u.suspended_at
       FROM bot_api_keys k JOIN users u ON u.id = k.bot_id WHERE k.id = $1`,
      [parsed.keyId],
    );
    if (!row || row.revoked_at || row.suspended_at || !secretMatches(parsed.secret, row.secret_hash))
      return null;
    return {
      user: { id: row.id, username: row.username, displayName: row.display_name, isBot: true },
      roomIds: row.room_ids,
    };
  }

  /**
   * `message:send` over REST: the same idempotency (clientMsgId), seq, membership and rate budget as
   * a socket, because it is the same MessagesService.send and the same per-user budget. A key also
   * has to be scoped to the room.
   */
  async post(
    sender: UserRef,
    scope: string[] | null,
    roomId: string,
    body: string,
    clientMsgId: string,
  ): Promise<MessageSendResult> {
    if (scope && !scope.includes(roomId)) throw AppError.forbidden('This API key may not post to this room');
    await this.budgets.consume(sender.id, ClientEvent.MESSAGE_SEND);
    return this.messages.send(sender, roomId, body, clientMsgId);
  }

  private async insertKey(callerId: string, botId: string, roomIds: string[]): Promise<BotApiKey> {
    const id = randomUUID();
    const { key, secretHash } = newApiKey(id);
    const [row]: KeyRow[] = await this.dataSource.query(
      `INSERT INTO bot_api_keys (id, bot_id, secret_hash, room_ids, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, bot_id, room_ids, created_at, revoked_at`,
      [id, botId, secretHash, roomIds, callerId],
    );
    return { ...toKey(row), key };
  }

  private async assertOwner(callerId: string, roomId: string): Promise<void> {
    const [room] = await this.dataSource.query('SELECT owner_id, kind FROM rooms WHERE id = $1', [roomId]);
    if (!room) throw AppError.notFound('Room');
    if (room.kind !== 'group' || room.owner_id !== callerId) {
      throw AppError.forbidden('Only the room owner can manage its bots');
    }
  }

  private async assertCreator(callerId: string, botId: string): Promise<void> {
    const [bot] = await this.dataSource.query('SELECT created_by FROM bots WHERE user_id = $1', [botId]);
    if (!bot) throw AppError.notFound('Bot');
    if (bot.created_by !== callerId) throw AppError.forbidden('Only the bot’s creator can manage its keys');
  }
}

function toBotUser(row: { id: string; username: string; display_name: string; created_at: Date }): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    createdAt: row.created_at.toISOString(),
  };
}

function toKey(row: KeyRow): BotApiKey {
  return {
    id: row.id,
    botId: row.bot_id,
    roomIds: row.room_ids,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
