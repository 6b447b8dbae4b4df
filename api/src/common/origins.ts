import type { IncomingMessage } from 'node:http';

/** CORS_ORIGINS as configured: a list of exact origins, or `true` for any origin (development). */
export type AllowedOrigins = string[] | true;

/**
 * Whether a request may proceed, judged by its `Origin` header. A request without one is not from
 * a browser page (the SDK in Node, the load generator, curl), so there is no cross-site page to
 * guard against and it is allowed; browsers always send `Origin` on WebSocket handshakes and on
 * cross-origin requests, and a page cannot forge it.
 */
export function isOriginAllowed(origin: string | undefined, allowed: AllowedOrigins): boolean {
  if (origin === undefined) return true;
  if (allowed === true) return true;
  return allowed.includes(origin);
}

type AllowRequestCallback = (error: string | null | undefined, success: boolean) => void;

/**
 * Socket.IO's `allowRequest`: runs on the handshake of both transports (the first polling request
 * and a direct WebSocket upgrade). The `cors` option only sets response headers, which a
 * WebSocket handshake ignores, so without this a page on any site could open a socket.
 * A refusal is answered by engine.io with `{"code":4,"message":…}` (403, polling) or a 400 with
 * the message (WebSocket), and the client gets `connect_error` at once.
 */
export function createOriginCheck(allowed: AllowedOrigins) {
  return (request: IncomingMessage, callback: AllowRequestCallback): void => {
    const origin = request.headers.origin;
    if (isOriginAllowed(origin, allowed)) callback(null, true);
    else callback(`Origin not allowed: ${String(origin).slice(0, 200)}`, false);
  };
}
