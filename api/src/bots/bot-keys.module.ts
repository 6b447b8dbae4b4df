import { Module } from '@nestjs/common';

import { BotKeys } from './bot-keys';

/** Checking bot API keys, shared by the bots module (REST) and the chat module (sockets). */
@Module({
  providers: [BotKeys],
  exports: [BotKeys],
})
export class BotKeysModule {}
