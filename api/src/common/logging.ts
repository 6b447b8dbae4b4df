import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Options } from 'pino-http';

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
 * pino-http options for nestjs-pino: JSON lines, each HTTP log with the request id (`req.id`, also
 * answered as `X-Request-Id`), every line with the instance id, and secrets redacted.
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
