import { ErrorBody, ErrorCode, FieldErrors } from '@chat/contracts';

/** A failure the client is meant to see: carries one of the contract's codes. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(fields: FieldErrors, message = 'Invalid input'): AppError {
    return new AppError(ErrorCode.VALIDATION, message, fields);
  }
  static notFound(what: string): AppError {
    return new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
  }
  static forbidden(message: string): AppError {
    return new AppError(ErrorCode.FORBIDDEN, message);
  }
  static conflict(message: string): AppError {
    return new AppError(ErrorCode.CONFLICT, message);
  }
  static unauthorized(message = 'Authentication required'): AppError {
    return new AppError(ErrorCode.UNAUTHORIZED, message);
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
    };
  }
}
