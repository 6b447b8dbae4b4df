import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { DrainingHealthIndicator } from './draining.health';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, DrainingHealthIndicator],
})
export class HealthModule {}
