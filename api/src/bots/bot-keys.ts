import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { UserRef } from '@chat/contracts';

import { parseApiKey, secretMatches } from './api-key';

/** Who posts or listens with an API key: the bot, the key's id and the rooms that key reaches. */
export interface BotCaller {
  user: UserRef;
  keyId: string;
  roomIds: string[];
}

interface KeyRow {
  secret_hash: Buffer;
  room_ids: string[];
  revoked_at: Date | null;
  id: string;
  username: string;
  display_name: string;
  suspended_at: Date | null;
}

/**
 * Checks bot API keys, for the REST guard, the socket handshake and the re-checks on socket writes.
 * Apart from BotsService (which manages keys) so the chat module can use it without the bots module.
 * Read from the database every time: a revocation is a committed row, seen by every instance at once.
 */
@Injectable()
export class BotKeys {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The bot a key belongs to, or null for a malformed, unknown, wrong, revoked or suspended one. */
  async authenticate(token: string): Promise<BotCaller | null> {
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const row = await this.row(parsed.keyId);
    if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
    return toCaller(parsed.keyId, row);
  }

  /** The key as it stands now (its secret was checked at the handshake), or null once revoked or suspended. */
  async current(keyId: string): Promise<BotCaller | null> {
    const row = await this.row(keyId);
    return row ? toCaller(keyId, row) : null;
  }

  private async row(keyId: string): Promise<KeyRow | null> {
    const [row]: KeyRow[] = await this.dataSource.query(
      `SELECT k.secret_hash, k.room_ids, k.revoked_at, u.id, u.username, u.display_name, u.suspended_at
       FROM bot_api_keys k JOIN users u ON u.id = k.bot_id WHERE k.id = $1`,
      [keyId],
    );
    return row && !row.revoked_at && !row.suspended_at ? row : null;
  }
}

function toCaller(keyId: string, row: KeyRow): BotCaller {
  return {
    user: { id: row.id, username: row.username, displayName: row.display_name, isBot: true },
    keyId,
    roomIds: row.room_ids,
  };
}
