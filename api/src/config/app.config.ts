import { registerAs } from '@nestjs/config';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

import { isTrue } from './env.validation';

export interface AppConfig {
  nodeEnv: string;
  port: number;
  /** Prometheus metrics are served here only, never on `port`, so a balancer in front of `port` cannot expose them; 0 picks a free port. */
  metricsPort: number;
  host: string;
  /**
   * Which peers may set the client's address through `X-Forwarded-For` (Express's `trust proxy`):
   * false (no one; the peer's address is the client's), a hop count, or addresses/subnets/names
   * such as `loopback` or `10.0.0.0/8`.
   */
  trustProxy: boolean | number | string[];
  instanceId: string;
  dataDir: string;
  /** Allowed browser origins; `true` reflects any origin (development only). */
  corsOrigins: string[] | true;
  logLevel: string;
  webDistDir: string;
  /** Socket.IO Admin UI at /admin-ui (namespace /admin); null when disabled. */
  adminUi: { username: string; password: string } | null;
  /** Bearer token of the operator endpoints under /api/admin; null disables them. */
  adminToken: string | null;
}

export const appConfig = registerAs('app', (): AppConfig => ({
  nodeEnv: process.env.NODE_ENV ?? 'development',
  port: process.env.PORT ? Number(process.env.PORT) : 3000,
  metricsPort: process.env.METRICS_PORT ? Number(process.env.METRICS_PORT) : 9464,
  host: process.env.HOST ?? '0.0.0.0',
  trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
  instanceId: process.env.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
  dataDir: resolve(process.env.DATA_DIR ?? './data'),
  corsOrigins: parseOrigins(process.env.CORS_ORIGINS),
  logLevel: process.env.LOG_LEVEL ?? 'info',
  // dist/api/api/src → dist/web-angular/browser
  webDistDir: resolve(process.env.WEB_DIST_DIR ?? resolve(__dirname, '../../../../web-angular/browser')),
  adminUi: isTrue(process.env.ADMIN_UI_ENABLED)
    ? { username: process.env.ADMIN_UI_USERNAME!, password: process.env.ADMIN_UI_PASSWORD! }
    : null,
  adminToken: process.env.ADMIN_TOKEN || null,
}));

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function parseOrigins(value: string | undefined): string[] | true {
  if (!value || value.trim() === '*') return true;
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}
