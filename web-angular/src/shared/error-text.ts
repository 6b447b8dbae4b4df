import { FieldErrors } from '@chat/contracts';
import { ChatError } from '@chat/sdk';

/** One sentence a person can act on, whatever failed. */
export function errorText(error: unknown): string {
  if (error instanceof ChatError) {
    switch (error.code) {
      case 'DISCONNECTED':
      case 'TIMEOUT':
        return 'No connection to the server. Check your network and try again.';
      case 'UNAVAILABLE':
        return 'The server is unavailable right now. Try again in a moment.';
      case 'RATE_LIMITED':
        return error.retryAfter
          ? `Slow down: try again in ${Math.ceil(error.retryAfter)} s.`
          : 'Slow down and try again shortly.';
      case 'INTERNAL':
        return 'Something went wrong on the server. Try again.';
      default:
        return error.message;
    }
  }
  return 'Something went wrong. Try again.';
}

/** The server's messages for one form field, joined for a mat-error. */
export function fieldError(error: unknown, field: string): string | null {
  const fields: FieldErrors | undefined = error instanceof ChatError ? error.fields : undefined;
  const messages = fields?.[field];
  return messages && messages.length > 0 ? messages.join(' ') : null;
}
