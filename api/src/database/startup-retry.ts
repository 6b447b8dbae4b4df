/**
 * Connecting at start-up: the database may still be starting — a container orchestrator starts every
 * service at once, and Postgres's first boot (initdb, then a restart) takes a while. Errors saying the
 * server is not there yet are retried for about two minutes; errors that retrying cannot fix (a wrong
 * password, a missing database, a failing migration) stop the process at once, with their message.
 */
export const STARTUP_CONNECT_ATTEMPTS = 60;
export const STARTUP_CONNECT_DELAY_MS = 2_000;

/** Node's socket errors for a server that is not (yet) reachable. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
]);

/** SQLSTATE 57P03 cannot_connect_now: "the database system is starting up" (or shutting down). */
const STARTING_UP_SQLSTATE = '57P03';

export function isDatabaseNotReadyYet(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === STARTING_UP_SQLSTATE) return true;
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  // node-postgres: a connect that got no answer within connectionTimeoutMillis, or a socket closed
  // by a server that is restarting; neither carries a code.
  if (typeof e.message === 'string' && /^Connection terminated|timeout expired/i.test(e.message)) return true;
  // Node's AggregateError from a host with several addresses (IPv4 and IPv6), each refused.
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isDatabaseNotReadyYet);
}
