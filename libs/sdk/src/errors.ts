import { ErrorBody, ErrorCode, FieldErrors } from '@chat/contracts';

/** The contract's codes, plus what only a client can observe: no ack in time, or no connection. */
export type SdkErrorCode = ErrorCode | 'TIMEOUT' | 'DISCONNECTED';

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

export interface ChatErrorDetails<C extends SdkErrorCode = SdkErrorCode> {
  code: C;
  message: string;
  fields?: FieldErrors;
  retryAfter?: number;
}

/** Base of the SDK's errors, so callers can branch on `code` whichever transport failed. */
export abstract class ChatError<C extends SdkErrorCode = SdkErrorCode> extends Error {
  readonly code: C;
  readonly fields: FieldErrors | undefined;
  /** Seconds to wait before retrying, for `RATE_LIMITED`. */
  readonly retryAfter: number | undefined;

  protected constructor(details: ChatErrorDetails<C>) {
    super(details.message);
    this.code = details.code;
    this.fields = details.fields;
    this.retryAfter = details.retryAfter;
  }
}

/** A REST call answered with a non-2xx status, or that never reached the server (`status` 0). */
export class ChatApiError extends ChatError<ErrorCode> {
  override readonly name = 'ChatApiError';
  readonly status: number;

  constructor(status: number, body: ErrorBody) {
    super(body);
    this.status = status;
  }
}

/** An error ack, a refused handshake, an ack that never came, or a request made while disconnected. */
export class ChatSocketError extends ChatError<SdkErrorCode> {
  override readonly name = 'ChatSocketError';

  constructor(details: ChatErrorDetails) {
    super(details);
  }

  static timeout(event: string, timeoutMs: number): ChatSocketError {
    return new ChatSocketError({ code: 'TIMEOUT', message: `No ack for ${event} within ${timeoutMs} ms` });
  }

  static disconnected(message = 'The socket is not connected'): ChatSocketError {
    return new ChatSocketError({ code: 'DISCONNECTED', message });
  }
}
