import { ChatError, ChatSocketError, isErrorCode } from './errors';

/** How socket.io-client's surfaces map onto the SDK's: its URI and options, its acks and connect errors as `ChatError`s. */

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function socketUri(baseUrl: string): string | undefined {
  // The URL's path would be read as a Socket.IO namespace: connect to the origin, the path is fixed.
  try {
    return baseUrl ? new URL(baseUrl).origin : undefined;
  } catch {
    return undefined; // a relative base: same origin
  }
}

export function definedOnly<T extends object>(options: T): Partial<T> {
  // engine.io-client merges options over its defaults with Object.assign: an explicit undefined would erase one.
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A connect() nobody awaits must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function unwrapAck(event: string, ack: unknown): object {
  if (isObject(ack) && ack.ok === true) {
    const { ok: _ok, ...result } = ack;
    return result;
  }
  if (isObject(ack) && ack.ok === false && isObject(ack.error)) {
    const { code, message, fields, retryAfter } = ack.error;
    return throwError(
      new ChatSocketError({
        code: isErrorCode(code) ? code : 'INTERNAL',
        message: typeof message === 'string' ? message : `${event} failed`,
        fields: isObject(fields) ? (fields as Record<string, string[]>) : undefined,
        retryAfter: typeof retryAfter === 'number' ? retryAfter : undefined,
      }),
    );
  }
  return throwError(new ChatSocketError({ code: 'INTERNAL', message: `Malformed ack for ${event}` }));
}

function throwError(error: Error): never {
  throw error;
}

export function ackFailure(event: string, timeoutMs: number, error: unknown): ChatSocketError {
  // socket.io-client rejects an ack promise only on timeout, or when the connection drops first.
  if (error instanceof Error && error.message === 'socket has been disconnected') {
    return ChatSocketError.disconnected(`Disconnected while waiting for the ack of ${event}`);
  }
  return ChatSocketError.timeout(event, timeoutMs);
}

export function connectFailure(error: Error & { data?: unknown }): ChatSocketError {
  // The gateway refuses with message = the error code and data = the error body.
  const data = isObject(error.data) ? error.data : {};
  const code = isErrorCode(data.code)
    ? data.code
    : isErrorCode(error.message)
      ? error.message
      : 'UNAVAILABLE';
  const message = typeof data.message === 'string' ? data.message : error.message;
  return new ChatSocketError({ code, message });
}

export function asChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ChatSocketError({ code: 'INTERNAL', message });
}
