import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

import { Public } from '../common/public.decorator';
import { DrainingHealthIndicator } from './draining.health';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly draining: DrainingHealthIndicator,
  ) {}

  /** Readiness: 503 while shutting down, or unless the database and Redis answer. */
  @Get()
  @HealthCheck()
  @ApiServiceUnavailableResponse({ description: 'A dependency is down' })
  readiness() {
    return this.health.check([
      () => this.draining.isHealthy('instance'),
      () => this.database.pingCheck('database', { timeout: 1_500 }),
      () => this.redis.isHealthy('redis'),
    ]);
  }

  /** Liveness: the process answers. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is up' })
  liveness() {
    return { status: 'ok' };
  }
}
