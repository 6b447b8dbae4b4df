import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AllConfig } from '../config/config.type';
import { RealtimeModule } from '../realtime/realtime.module';
import { RedisConnection } from '../redis/redis.module';
import { RoomsDataModule } from '../rooms/rooms-data.module';
import { MemoryPresenceStore } from './memory-presence.store';
import { INSTANCE_STALE_AFTER_MS, PRESENCE_STORE, PresenceService } from './presence.service';
import { RedisPresenceStore } from './redis-presence.store';
import { StatsController } from './stats.controller';

@Module({
  imports: [RealtimeModule, RoomsDataModule],
  controllers: [StatsController],
  providers: [
    PresenceService,
    {
      provide: PRESENCE_STORE,
      inject: [ConfigService, RedisConnection],
      useFactory: (config: ConfigService<AllConfig, true>, redis: RedisConnection) => {
        const instanceId = config.get('app.instanceId', { infer: true });
        return redis.client
          ? new RedisPresenceStore(
              redis.client,
              redis.taggedKey('presence'),
              instanceId,
              INSTANCE_STALE_AFTER_MS,
            )
          : new MemoryPresenceStore(instanceId);
      },
    },
  ],
  exports: [PresenceService],
})
export class PresenceModule {}
