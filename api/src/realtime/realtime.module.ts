import { Global, Module } from '@nestjs/common';

import { DrainService } from './drain.service';
import { RealtimeBroadcaster } from './realtime-broadcaster';
import { SlowConsumerWatchdog } from './slow-consumer-watchdog';

@Global()
@Module({
  providers: [RealtimeBroadcaster, DrainService, SlowConsumerWatchdog],
  exports: [RealtimeBroadcaster, DrainService, SlowConsumerWatchdog],
})
export class RealtimeModule {}
