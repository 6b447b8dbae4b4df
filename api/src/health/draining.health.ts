import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { DrainService } from '../realtime/drain.service';

/** Not ready while draining, so the load balancer sends new connections elsewhere. */
@Injectable()
export class DrainingHealthIndicator {
  constructor(
    private readonly drain: DrainService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  isHealthy(key: string) {
    const indicator = this.indicators.check(key);
    return this.drain.draining ? indicator.down({ state: 'draining' }) : indicator.up({ state: 'serving' });
  }
}
