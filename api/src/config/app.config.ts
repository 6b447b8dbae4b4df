import { registerAs } from '@nestjs/config';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

import { flag, int, oneOf, readEnv, text } from './env-var';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Express `trust proxy`: a boolean, a hop count, or a list of addresses, CIDR subnets and named ranges. */
const TRUST_PROXY_PATTERN =
  /^(true|false|\d+|[0-9a-fA-F.:/]+|loopback|linklocal|uniquelocal)(\s*,\s*([0-9a-fA-F.:/]+|loopback|linklocal|uniquelocal))*$/;

/** `*`, or origins as browsers send them in `Origin`: `https://host` or `http://host:port`, no path. */
const ORIGIN = 'https?://[^\\s/,*]+';
const CORS_ORIGINS_PATTERN = new RegExp(`^\\s*(\\*|${ORIGIN}(\\s*,\\s*${ORIGIN})*)\\s*$`);

export const appEnv = {
  NODE_ENV: oneOf(['development', 'production', 'test'], 'development', '`production` requires `JWT_SECRET`'),
  PORT: int(0, 65535, 3000, 'HTTP and Socket.IO port'),
  METRICS_PORT: int(
    0,
    65535,
    9464,
    'Prometheus `/metrics`, served on this port only (never on `PORT`, so a balancer in front of `PORT` cannot expose it); `0` picks a free port',
  ),
  TRUST_PROXY: text(
    {
      pattern: TRUST_PROXY_PATTERN,
      hint: 'false, true, a hop count, or comma-separated addresses/subnets/loopback/linklocal/uniquelocal',
      unset: '`false`',
      refuseEmpty: true,
    },
    'which peers may set the client address through `X-Forwarded-For` (Express `trust proxy`); the per-address limits count that address',
  ),
  HOST: text({ fallback: '0.0.0.0' }, 'listen address'),
  INSTANCE_ID: text(
    { pattern: /^[a-zA-Z0-9._:-]{1,128}$/, hint: '1-128 of `[a-zA-Z0-9._:-]`', unset: '`<hostname>-<pid>`' },
    'name of this instance in messages, logs and `/api/stats`',
  ),
  DATA_DIR: text({ fallback: './data' }, 'embedded database and the development JWT secret'),
  CORS_ORIGINS: text(
    {
      pattern: CORS_ORIGINS_PATTERN,
      hint: '`*` or comma-separated origins (scheme, host and port; no path)',
      unset: 'any origin (development)',
      refuseEmpty: true,
    },
    'browser origins allowed, e.g. `https://chat.example.com`: REST CORS and the `Origin` of Socket.IO handshakes (both transports); list the origin that serves the web app too. Requests without `Origin` (the SDK in Node, scripts) are not browser pages and always pass',
  ),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info', 'log verbosity'),
  LOG_FORMAT: oneOf(LOG_FORMATS, null, 'log lines', '`pretty` on a terminal outside production, else `json`'),
  WEB_DIST_DIR: text({ unset: '`dist/web-angular/browser`' }, 'the built web app served at `/`'),
  ADMIN_TOKEN: text(
    { minLength: 32, unset: 'unset → no operator endpoints (404)' },
    'bearer token of `/api/admin/*`: account suspension',
  ),
  ADMIN_UI_ENABLED: flag(false, 'serve the Socket.IO Admin UI (see below)'),
  ADMIN_UI_USERNAME: text(
    { pattern: /^[a-zA-Z0-9_.-]{3,32}$/, hint: '3-32 of `[a-zA-Z0-9_.-]`' },
    'Admin UI user; required when it is enabled',
  ),
  ADMIN_UI_PASSWORD: text({ minLength: 12 }, 'Admin UI password; required when it is enabled'),
};

export interface AppConfig {
  nodeEnv: string;
  port: number;
  host: string;
  instanceId: string;
  dataDir: string;
  /** Allowed browser origins; `true` reflects any origin (development only). */
  corsOrigins: string[] | true;
  logLevel: string;
  logFormat: LogFormat;
  /** Prometheus metrics are served here only, never on `port`, so a balancer in front of `port` cannot expose them; 0 picks a free port. */
  metricsPort: number;
  /**
   * Which peers may set the client's address through `X-Forwarded-For` (Express's `trust proxy`):
   * false (no one; the peer's address is the client's), a hop count, or addresses/subnets/names
   * such as `loopback` or `10.0.0.0/8`.
   */
  trustProxy: boolean | number | string[];
  webDistDir: string;
  /** Socket.IO Admin UI at /admin-ui (namespace /admin); null when disabled. */
  adminUi: { username: string; password: string } | null;
  /** Bearer token of the operator endpoints under /api/admin; null disables them. */
  adminToken: string | null;
}

export const appConfig = registerAs('app', (): AppConfig => {
  const env = readEnv(appEnv);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    instanceId: env.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    dataDir: resolve(env.DATA_DIR),
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? defaultLogFormat(env.NODE_ENV),
    metricsPort: env.METRICS_PORT,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    // dist/api/api/src → dist/web-angular/browser
    webDistDir: resolve(env.WEB_DIST_DIR ?? resolve(__dirname, '../../../../web-angular/browser')),
    adminUi: env.ADMIN_UI_ENABLED
      ? { username: env.ADMIN_UI_USERNAME!, password: env.ADMIN_UI_PASSWORD! }
      : null,
    adminToken: env.ADMIN_TOKEN,
  };
});

function parseTrustProxy(value: string | null): boolean | number | string[] {
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** Human-readable for a person at a terminal; JSON lines for everything else (production, containers, files, tests). */
function defaultLogFormat(nodeEnv: string): LogFormat {
  return process.stdout.isTTY && nodeEnv !== 'production' ? 'pretty' : 'json';
}

function parseOrigins(value: string | null): string[] | true {
  if (!value || value.trim() === '*') return true;
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}
