import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import pinoPretty from 'pino-pretty';

import type { LogFormat } from '../config/app.config';

/**
 * Never logged, wherever they appear: credentials in request headers and query strings, passwords
 * in bodies, and the token of a Socket.IO handshake (`auth.token`) should anyone log a handshake.
 * pino's paths match one level per `*`, so the usual nestings are spelled out.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'req.query.token',
  'req.query.access_token',
  'req.query.password',
  'req.body.password',
  'password',
  '*.password',
  '*.*.password',
  'accessToken',
  '*.accessToken',
  'token',
  '*.token',
  'auth.token',
  '*.auth.token',
  'handshake.auth.token',
  '*.handshake.auth.token',
  'handshake.headers.authorization',
  '*.handshake.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

/** Query parameters whose values are cut from logged URLs (a client may put a token there by mistake). */
const SECRET_QUERY_PARAMETER = /([?&](?:token|access_token|password)=)[^&#]*/gi;

/** An incoming X-Request-Id (nginx sets one) is kept only if it looks like an id, not a payload. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface LoggingSettings {
  level: string;
  instanceId: string;
}

/**
 * nestjs-pino's `pinoHttp`: JSON lines (httpLoggerOptions), or for a person at a terminal the same
 * records as one readable line each.
 */
export function httpLogger(
  settings: LoggingSettings & { format: LogFormat },
): Options | [Options, DestinationStream] {
  const options = httpLoggerOptions(settings);
  return settings.format === 'pretty' ? [options, prettyStream()] : options;
}

/**
 * pino-http options: each HTTP log with the request id (`req.id`, also answered as `X-Request-Id`),
 * every line with the instance id, and secrets redacted.
 */
export function httpLoggerOptions({ level, instanceId }: LoggingSettings): Options {
  return {
    level,
    base: { pid: process.pid, hostname: hostname(), instanceId },
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const incoming = request.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      response.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (request: { url?: string }) => {
        if (typeof request.url === 'string') request.url = withoutSecrets(request.url);
        return request;
      },
    },
    autoLogging: {
      ignore: (request: IncomingMessage) => request.url?.startsWith('/api/health') ?? false,
    },
  };
}

/** A bot API key's secret half, also found in the path of an incoming webhook URL. */
const API_KEY_SECRET = /(chatbot_[0-9a-f]{32}_)[A-Za-z0-9_-]+/g;

export const withoutSecrets = (url: string): string =>
  url.replace(SECRET_QUERY_PARAMETER, '$1[Redacted]').replace(API_KEY_SECRET, '$1[Redacted]');

/** Fields for machines whose content a person at a terminal reads in the message instead (main.ts's url and node too). */
const HIDDEN_WHEN_PRETTY = 'pid,hostname,instanceId,context,req,res,responseTime,url,node';

/**
 * `[12:00:01] INFO: Context: message {other fields}` on stdout, synchronously (the process's own
 * terminal, not a production sink); an HTTP record reads `GET /api/rooms 200 in 3 ms`.
 */
function prettyStream(): DestinationStream {
  return pinoPretty({
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: HIDDEN_WHEN_PRETTY,
    messageFormat: (log, messageKey) => {
      const req = log.req as { method?: string; url?: string } | undefined;
      const res = log.res as { statusCode?: number } | undefined;
      const message =
        req && res
          ? `${req.method} ${req.url} ${res.statusCode} in ${String(log.responseTime)} ms`
          : String(log[messageKey] ?? '');
      return typeof log.context === 'string' ? `${log.context}: ${message}` : message;
    },
  });
}

/** Nest's own start-up inventory: one line per module, route and socket handler. */
const FRAMEWORK_INVENTORY = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

/**
 * The application's Nest logger: pino (nestjs-pino), with the framework's start-up inventory at
 * debug, so a clean start shows what a person needs (main.ts says where to open the app) and
 * LOG_LEVEL=debug still shows every route.
 */
export class AppLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    if (FRAMEWORK_INVENTORY.has(rest.at(-1) as string)) this.pino.debug(message, ...rest);
    else this.pino.log(message, ...rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.pino.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.pino.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.pino.debug(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.pino.verbose(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.pino.fatal(message, ...rest);
  }
}
