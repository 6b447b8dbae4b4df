/**
 * The one error vocabulary of the wire contract. REST answers carry it in `code`,
 * socket acks in `error.code`; clients branch on the code, never on the message.
 */
export const ErrorCode = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  VALIDATION: 'VALIDATION',
  RATE_LIMITED: 'RATE_LIMITED',
  ROOM_FULL: 'ROOM_FULL',
  CONFLICT: 'CONFLICT',
  /** An upload larger than the limit (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The room is archived: it is read-only until its owner unarchives it (HTTP 409). */
  ROOM_ARCHIVED: 'ROOM_ARCHIVED',
  /** `threadRootId` names no top-level message of that room (a reply, another room's message, none). */
  INVALID_THREAD_ROOT: 'INVALID_THREAD_ROOT',
  /** The message already has Limits.REACTIONS_PER_MESSAGE_MAX distinct emoji. */
  REACTION_LIMIT: 'REACTION_LIMIT',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Field name → messages, for `VALIDATION` errors. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
  /** Seconds, for `RATE_LIMITED`. */
  retryAfter?: number;
}

/** Body of every non-2xx REST response. */
export interface HttpErrorResponse extends ErrorBody {
  statusCode: number;
}
