import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { BotApiKey, BotApiKeyKind, RoomBot, User, UserRef } from '@chat/contracts';

interface KeyRow {
  id: string;
  bot_id: string;
  room_ids: string[];
  kind: BotApiKeyKind;
  created_at: Date;
  revoked_at: Date | null;
}

const KEY_COLUMNS = 'id, bot_id, room_ids, kind, created_at, revoked_at';

/** An API key with its bot, as needed to authenticate a request. */
export interface KeyWithBot {
  secretHash: Buffer;
  roomIds: string[];
  revoked: boolean;
  suspended: boolean;
  bot: UserRef;
}

/** A key to store: only the hash of its secret. */
export interface NewApiKey {
  id: string;
  botId: string;
  secretHash: Buffer;
  roomIds: string[];
  kind: BotApiKeyKind;
  createdBy: string;
}

/** Queries on `bots` and `bot_api_keys` (and the bot's own `users` row). */
@Injectable()
export class BotsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The bot's user row and its `bots` row, together or not at all. */
  insertBot(bot: {
    username: string;
    passwordHash: string;
    displayName: string;
    createdBy: string;
  }): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const [row]: { id: string; username: string; display_name: string; created_at: Date }[] =
        await manager.query(
          `INSERT INTO users (username, password_hash, display_name, is_bot) VALUES ($1, $2, $3, true)
           RETURNING id, username, display_name, created_at`,
          [bot.username, bot.passwordHash, bot.displayName],
        );
      await manager.query('INSERT INTO bots (user_id, created_by) VALUES ($1, $2)', [row.id, bot.createdBy]);
      return {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        createdAt: row.created_at.toISOString(),
      };
    });
  }

  /** The bot's user row; its `bots` row and keys go with it (ON DELETE CASCADE). */
  async removeBot(botId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM users WHERE id = $1', [botId]);
  }

  /** Who created the bot; null for an unknown bot. */
  async creatorOf(botId: string): Promise<string | null> {
    const [bot]: { created_by: string }[] = await this.dataSource.query(
      'SELECT created_by FROM bots WHERE user_id = $1',
      [botId],
    );
    return bot?.created_by ?? null;
  }

  async keysOf(botId: string): Promise<BotApiKey[]> {
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT ${KEY_COLUMNS} FROM bot_api_keys WHERE bot_id = $1 ORDER BY created_at`,
      [botId],
    );
    return rows.map(toKey);
  }

  async keyOf(botId: string, keyId: string): Promise<BotApiKey | null> {
    const [row]: KeyRow[] = await this.dataSource.query(
      `SELECT ${KEY_COLUMNS} FROM bot_api_keys WHERE id = $1 AND bot_id = $2`,
      [keyId, botId],
    );
    return row ? toKey(row) : null;
  }

  /** The bots `creatorId` made that are members of the room, each with all its keys. */
  async botsInRoom(roomId: string, creatorId: string): Promise<RoomBot[]> {
    const bots: { id: string; username: string; display_name: string; created_at: Date }[] =
      await this.dataSource.query(
        `SELECT u.id, u.username, u.display_name, u.created_at
         FROM bots b JOIN users u ON u.id = b.user_id
         JOIN memberships m ON m.user_id = b.user_id AND m.room_id = $1
         WHERE b.created_by = $2 ORDER BY u.created_at, u.id`,
        [roomId, creatorId],
      );
    if (bots.length === 0) return [];
    const keys: KeyRow[] = await this.dataSource.query(
      `SELECT ${KEY_COLUMNS} FROM bot_api_keys WHERE bot_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [bots.map((bot) => bot.id)],
    );
    return bots.map((bot) => ({
      bot: {
        id: bot.id,
        username: bot.username,
        displayName: bot.display_name,
        createdAt: bot.created_at.toISOString(),
      },
      keys: keys.filter((key) => key.bot_id === bot.id).map(toKey),
    }));
  }

  async insertKey(key: NewApiKey): Promise<BotApiKey> {
    const [row]: KeyRow[] = await this.dataSource.query(
      `INSERT INTO bot_api_keys (id, bot_id, secret_hash, room_ids, kind, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${KEY_COLUMNS}`,
      [key.id, key.botId, key.secretHash, key.roomIds, key.kind, key.createdBy],
    );
    return toKey(row);
  }

  /** Marks the key revoked (keeping the first revocation time); false when the bot has no such key. */
  async revokeKey(botId: string, keyId: string): Promise<boolean> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH k AS (UPDATE bot_api_keys SET revoked_at = coalesce(revoked_at, now())
                  WHERE id = $1 AND bot_id = $2 RETURNING id) SELECT id FROM k`,
      [keyId, botId],
    );
    return rows.length > 0;
  }

  async keyWithBot(keyId: string): Promise<KeyWithBot | null> {
    const [row]: {
      secret_hash: Buffer;
      room_ids: string[];
      revoked_at: Date | null;
      id: string;
      username: string;
      display_name: string;
      suspended_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT k.secret_hash, k.room_ids, k.revoked_at, u.id, u.username, u.display_name, u.suspended_at
       FROM bot_api_keys k JOIN users u ON u.id = k.bot_id WHERE k.id = $1`,
      [keyId],
    );
    if (!row) return null;
    return {
      secretHash: row.secret_hash,
      roomIds: row.room_ids,
      revoked: row.revoked_at !== null,
      suspended: row.suspended_at !== null,
      bot: { id: row.id, username: row.username, displayName: row.display_name, isBot: true },
    };
  }
}

function toKey(row: KeyRow): BotApiKey {
  return {
    id: row.id,
    botId: row.bot_id,
    roomIds: row.room_ids,
    kind: row.kind,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
