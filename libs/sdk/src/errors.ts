import { ErrorCode, FieldErrors } from '@chat/contracts';

/** The contract's codes, plus what only a client can observe. */
export type SdkErrorCode = ErrorCode | 'TIMEOUT' | 'DISCONNECTED';

/** A non-2xx REST answer. */
export class ChatApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: SdkErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ChatApiError';
  }
}

/** An error ack, a refused handshake, or an ack that never came. */
export class ChatSocketError extends Error {
  constructor(
    readonly code: SdkErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ChatSocketError';
  }
}
