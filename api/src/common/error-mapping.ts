import { HttpException, HttpStatus } from '@nestjs/common';

import { ErrorBody, ErrorCode } from '@chat/contracts';

import { chatMetrics } from '../metrics/chat-metrics';
import { AppError } from './app-error';

export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.VALIDATION]: HttpStatus.BAD_REQUEST,
  [ErrorCode.UNAUTHORIZED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.ROOM_FULL]: HttpStatus.CONFLICT,
  [ErrorCode.ROOM_ARCHIVED]: HttpStatus.CONFLICT,
  [ErrorCode.INVALID_THREAD_ROOT]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.REACTION_LIMIT]: HttpStatus.CONFLICT,
  [ErrorCode.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
};

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.VALIDATION,
  415: ErrorCode.VALIDATION,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.UNAVAILABLE,
};

/**
 * Postgres SQLSTATEs that mean "the database cannot serve this right now", not "the request is bad":
 * connection exceptions (08), insufficient resources (53), shutdown (57P01-03), and statement_timeout
 * or a cancel (57014).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]|57014$)/;

/** Socket errors from connecting to or talking with the database. */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * node-postgres and pg-pool raise these as plain Errors without a code: a connection that ended
 * ("Connection terminated unexpectedly", "… due to connection timeout"), no connection within
 * connectionTimeoutMillis, no answer within query_timeout, a client already broken.
 */
const UNAVAILABLE_DRIVER_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|is not queryable/i;

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** True when the cause is ours, not the client's: worth logging with its stack. */
  unexpected: boolean;
}

/** The single place where anything thrown becomes a contract error, for HTTP and for acks alike. */
export function mapError(error: unknown): MappedError {
  if (error instanceof AppError) {
    return { status: HTTP_STATUS_OF[error.code], body: error.toBody(), unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION);
    const message = status >= 500 ? 'Internal error' : httpExceptionMessage(error);
    return { status, body: { code, message }, unexpected: status >= 500 };
  }
  const clientError = asHttpClientError(error);
  if (clientError) {
    const code = CODE_OF_STATUS[clientError.status] ?? ErrorCode.VALIDATION;
    return { status: clientError.status, body: { code, message: clientError.message }, unexpected: false };
  }
  if (isDatabaseUnavailable(error)) {
    chatMetrics.databaseErrors.inc();
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: { code: ErrorCode.UNAVAILABLE, message: 'Storage is unavailable, try again' },
      unexpected: true,
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { code: ErrorCode.INTERNAL, message: 'Internal error' },
    unexpected: true,
  };
}

function httpExceptionMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return error.message;
}

/** http-errors raised by Express middleware (body too large, bad encoding…): 4xx, safe to show. */
function asHttpClientError(error: unknown): { status: number; message: string } | null {
  const e = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (!(error instanceof Error) || e.expose !== true || typeof e.status !== 'number') return null;
  return e.status >= 400 && e.status < 500 ? { status: e.status, message: error.message } : null;
}

function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: socket errors from Node's net module come from another realm
  // when the code runs in a vm context (as under jest), and fail that test.
  if (typeof error !== 'object' || error === null) return false;
  // TypeORM's QueryFailedError copies the driver error's code and message onto itself.
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code)))
    return true;
  return typeof message === 'string' && UNAVAILABLE_DRIVER_MESSAGE.test(message);
}
