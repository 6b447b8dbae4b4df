import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { BotKeys } from './bot-keys';
import { BotsRepository } from './bots.repository';
import { UserOrBotKeyGuard } from './user-or-bot-key.guard';

/** Checking bot API keys, for the routes bots may call (posting, history) and for sockets. */
@Module({
  imports: [AuthModule],
  providers: [BotKeys, BotsRepository, UserOrBotKeyGuard],
  // AuthModule too: the guard is resolved in the modules of the controllers that use it.
  exports: [BotKeys, BotsRepository, UserOrBotKeyGuard, AuthModule],
})
export class BotKeysModule {}
