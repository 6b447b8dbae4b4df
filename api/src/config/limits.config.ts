import { registerAs } from '@nestjs/config';

import { int, readEnv } from './env-var';

export const limitsEnv = {
  MESSAGE_RATE_LIMIT: int(
    1,
    1_000_000,
    10,
    "`message:send` per user per window, all of the user's sockets on all instances together (counted in Redis; in memory without `REDIS_URL`); beyond it, ack `RATE_LIMITED` with `retryAfter`",
  ),
  MESSAGE_RATE_WINDOW_SECONDS: int(1, 3600, 1, 'that window, in seconds'),
  MESSAGE_BURST: int(
    0,
    1_000_000,
    30,
    'extra messages per user above that rate within ten windows (a burst allowance)',
  ),
  EDIT_RATE_LIMIT: int(
    1,
    1_000_000,
    5,
    '`message:edit` and `message:delete` together, per user: this many per `MESSAGE_RATE_WINDOW_SECONDS`; beyond it, ack `RATE_LIMITED` with `retryAfter`',
  ),
  EDIT_BURST: int(0, 1_000_000, 20, 'extra edits and deletes per user within ten windows'),
  EVENT_RATE_LIMIT: int(
    1,
    1_000_000,
    20,
    'every other client event (`message:read`, `typing`, `room:join`, `room:leave`, `auth:refresh`, `reaction:add` and `reaction:remove` together, and unknown events together), per user and event, counted like the above',
  ),
  EVENT_BURST: int(
    0,
    1_000_000,
    600,
    'extra such events within ten windows; lets a client re-join all its rooms after a reconnect',
  ),
  SEARCH_RATE_LIMIT: int(
    1,
    1_000_000,
    5,
    '`GET /api/search` per user per `MESSAGE_RATE_WINDOW_SECONDS`, all instances together; beyond it, 429 `RATE_LIMITED` with `retryAfter`',
  ),
  SEARCH_BURST: int(0, 1_000_000, 30, 'extra searches per user within ten windows (typing a query in the web app)'),
  MAX_CONNECTIONS_PER_USER: int(
    1,
    10_000,
    10,
    'open sockets per user across the cluster; the next handshake is refused with `RATE_LIMITED`',
  ),
  MAX_ROOMS_PER_SOCKET: int(
    1,
    100_000,
    500,
    'rooms one socket may be subscribed to at once; `room:join` beyond it answers `FORBIDDEN`',
  ),
};

/** Per-user limits that hold across the cluster (counted in Redis when it is configured). */
export interface LimitsConfig {
  /** Sustained message:send rate per user (all of the user's sockets and instances together): this many per window. */
  messagesPerWindow: number;
  rateWindowSeconds: number;
  /** Extra messages a user may send above the sustained rate within ten windows. */
  messageBurst: number;
  /** message:edit and message:delete together, per user: this many per window, plus the burst within ten windows. */
  editsPerWindow: number;
  editBurst: number;
  /**
   * Every other client event (message:read, typing, room:join, room:leave, auth:refresh, and unknown
   * events), per user and event: this many per window, plus the burst within ten windows.
   */
  eventsPerWindow: number;
  eventBurst: number;
  /** GET /api/search per user: this many per window, plus the burst within ten windows. */
  searchesPerWindow: number;
  searchBurst: number;
  /** Open sockets per user across the cluster; the next handshake is refused. */
  connectionsPerUser: number;
  /** Rooms one socket may be subscribed to at once. */
  roomsPerSocket: number;
}

export const limitsConfig = registerAs('limits', (): LimitsConfig => {
  const env = readEnv(limitsEnv);
  return {
    messagesPerWindow: env.MESSAGE_RATE_LIMIT,
    rateWindowSeconds: env.MESSAGE_RATE_WINDOW_SECONDS,
    messageBurst: env.MESSAGE_BURST,
    editsPerWindow: env.EDIT_RATE_LIMIT,
    editBurst: env.EDIT_BURST,
    eventsPerWindow: env.EVENT_RATE_LIMIT,
    eventBurst: env.EVENT_BURST,
    searchesPerWindow: env.SEARCH_RATE_LIMIT,
    searchBurst: env.SEARCH_BURST,
    connectionsPerUser: env.MAX_CONNECTIONS_PER_USER,
    roomsPerSocket: env.MAX_ROOMS_PER_SOCKET,
  };
});
