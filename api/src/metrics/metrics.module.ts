import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AllConfig } from '../config/config.type';
import { labelInstance } from './chat-metrics';
import { MetricsServer } from './metrics-server';

/**
 * prom-client directly rather than a Nest wrapper: the metrics are counted from places outside DI
 * (filters, the adapter), and in-process e2e suites start several apps, which must not re-register.
 */
@Module({ providers: [MetricsServer], exports: [MetricsServer] })
export class MetricsModule implements OnModuleInit {
  constructor(private readonly config: ConfigService<AllConfig, true>) {}

  onModuleInit(): void {
    labelInstance(this.config.get('app.instanceId', { infer: true }));
  }
}
