import { Global, Module } from '@nestjs/common';

import { DrainService } from './drain.service';
import { RealtimeBroadcaster } from './realtime-broadcaster';

@Global()
@Module({ providers: [RealtimeBroadcaster, DrainService], exports: [RealtimeBroadcaster, DrainService] })
export class RealtimeModule {}
