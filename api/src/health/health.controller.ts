import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';

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

  /**
   * Readiness: 503 while shutting down, or unless the database and Redis answer. The 503 carries
   * Terminus's report naming what is down; returned here, because the global exception filter
   * would turn it into an opaque contract error.
   */
  @Get()
  @HealthCheck()
  @ApiServiceUnavailableResponse({ description: 'A dependency is down' })
  async readiness(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.draining.isHealthy('instance'),
        () => this.database.pingCheck('database', { timeout: 1_500 }),
        () => this.redis.isHealthy('redis'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse() as HealthCheckResult;
    }
  }

  /** Liveness: the process answers. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is up' })
  liveness() {
    return { status: 'ok' };
  }
}
