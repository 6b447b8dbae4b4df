import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AllConfig } from '../config/config.type';
import { metricsRegistry } from './chat-metrics';

/**
 * `GET /metrics` (Prometheus text format) on its own port, METRICS_PORT, and nowhere else. A scrape
 * target is unauthenticated, so it must not be reachable from the public side: the balancer only
 * ever proxies the API port, so no path spelling (`/metrics/`, `/METRICS`, `/api/../metrics`) can
 * reach this one through it. A bare node server rather than a second Nest application: it has
 * one route, and must keep answering while the API is busy or draining.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server: Server | null = null;

  constructor(private readonly config: ConfigService<AllConfig, true>) {}

  /** The port it listens on (the one the kernel chose when METRICS_PORT=0); null before it started. */
  get port(): number | null {
    return (this.server?.address() as AddressInfo | null)?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: scrape GET /metrics\n');
        return;
      }
      metricsRegistry.metrics().then(
        (text) =>
          response
            .writeHead(200, { 'Content-Type': metricsRegistry.contentType, 'Cache-Control': 'no-store' })
            .end(text),
        (error: Error) => response.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${error.message}\n`),
      );
    });
    const port = this.config.get('app.metricsPort', { infer: true });
    const host = this.config.get('app.host', { infer: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    // The start-up line (main.ts) names this address; the person reading it sees where to open the app first.
    this.logger.debug(`Metrics on http://${host}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
