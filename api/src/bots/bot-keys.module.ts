import { Module } from '@nestjs/common';

import { BotKeys } from './bot-keys';
import { BotsRepository } from './bots.repository';
import { UserOrBotKeyGuard } from './user-or-bot-key.guard';

/** Checking bot API keys, for the routes bots may call (posting, history) and for sockets. */
@Module({
  providers: [BotKeys, BotsRepository, UserOrBotKeyGuard],
  exports: [BotKeys, BotsRepository, UserOrBotKeyGuard],
})
export class BotKeysModule {}
