import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { join } from 'node:path';

import { createApp } from './app.setup';
import { installProcessGuards } from './common/process-guards';
import { AllConfig } from './config/config.type';
import { MetricsServer } from './metrics/metrics-server';

/** SIGTERM → drain and close; past this, exit anyway so an orchestrator never waits on us. */
const SHUTDOWN_LIMIT_MS = 10_000;

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  const port = config.get('app.port', { infer: true });

  let stopping = false;
  const shutdown = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    app.close().then(
      () => process.exit(exitCode),
      () => process.exit(1),
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => shutdown(0));
  installProcessGuards(shutdown);
  await app.listen(port, config.get('app.host', { infer: true }));
  logReady(config, app.get(MetricsServer).port);
}

/**
 * The first line a person reads: where to open the app, on which Node; then, when something runs
 * on a development default instead of a configured service, one line saying which.
 */
function logReady(config: ConfigService<AllConfig, true>, metricsPort: number | null): void {
  const logger = new Logger('ChatGateway');
  const url = `http://${browsableHost(config.get('app.host', { infer: true }))}:${config.get('app.port', { infer: true })}`;
  const redisUrl = config.get('redis.url', { infer: true });
  logger.log({
    msg: `Open ${url} (instance ${config.get('app.instanceId', { infer: true })}, Node ${process.version})`,
    url,
    node: process.version,
    metrics:
      metricsPort === null
        ? undefined
        : `http://${browsableHost(config.get('app.host', { infer: true }))}:${metricsPort}/metrics`,
  });
  const dataDir = config.get('app.dataDir', { infer: true });
  const defaults = [
    config.get('database.url', { infer: true }) ? null : `embedded database in ${join(dataDir, 'pglite')}`,
    config.get('auth.jwtSecret', { infer: true })
      ? null
      : `development JWT secret in ${join(dataDir, 'jwt-secret')}`,
    redisUrl ? null : 'single instance (no REDIS_URL)',
  ].filter((item) => item !== null);
  if (defaults.length > 0) logger.log(`Development defaults: ${defaults.join(', ')}`);
}

/** A wildcard address is reached as localhost; an IPv6 address needs brackets in a URL. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

bootstrap().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
