import { Injectable } from '@nestjs/common';

import type { UserRef } from '@chat/contracts';

import { parseApiKey, secretMatches } from './api-key';
import { BotsRepository, type KeyWithBot } from './bots.repository';

/** Who posts or listens with an API key: the bot, the key's id and the rooms that key reaches. */
export interface BotCaller {
  user: UserRef;
  keyId: string;
  roomIds: string[];
}

/**
 * Checks bot API keys, for the REST guard, the socket handshake and the re-checks on socket writes.
 * Apart from BotsService (which manages keys) so the chat module can use it without the bots module.
 * Read from the database every time: a revocation is a committed row, seen by every instance at once.
 */
@Injectable()
export class BotKeys {
  constructor(private readonly bots: BotsRepository) {}

  /** The bot a key belongs to, or null for a malformed, unknown, wrong, revoked or suspended one. */
  async authenticate(token: string): Promise<BotCaller | null> {
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const key = usable(await this.bots.keyWithBot(parsed.keyId));
    if (!key || !secretMatches(parsed.secret, key.secretHash)) return null;
    return { user: key.bot, keyId: parsed.keyId, roomIds: key.roomIds };
  }

  /** The key as it stands now (its secret was checked at the handshake), or null once revoked or suspended. */
  async current(keyId: string): Promise<BotCaller | null> {
    const key = usable(await this.bots.keyWithBot(keyId));
    return key ? { user: key.bot, keyId, roomIds: key.roomIds } : null;
  }
}

function usable(key: KeyWithBot | null): KeyWithBot | null {
  return key && !key.revoked && !key.suspended ? key : null;
}
