import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { Public } from '../common/public.decorator';
import { metricsRegistry } from './chat-metrics';

/**
 * `GET /metrics` (outside `/api`), Prometheus text format. Unauthenticated like every scrape target:
 * keep it off the public side of the load balancer (the nginx template answers 404 there).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
