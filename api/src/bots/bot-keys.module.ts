import { Module } from '@nestjs/common';

import { BotKeys } from './bot-keys';
import { UserOrBotKeyGuard } from './user-or-bot-key.guard';

/** Checking bot API keys, for the routes bots may call (posting, history) and for sockets. */
@Module({
  providers: [BotKeys, UserOrBotKeyGuard],
  exports: [BotKeys, UserOrBotKeyGuard],
})
export class BotKeysModule {}
