import { registerAs } from '@nestjs/config';

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
  /** Open sockets per user across the cluster; the next handshake is refused. */
  connectionsPerUser: number;
  /** Rooms one socket may be subscribed to at once. */
  roomsPerSocket: number;
}

const numberOr = (value: string | undefined, fallback: number): number =>
  value === undefined || value === '' ? fallback : Number(value);

export const limitsConfig = registerAs('limits', (): LimitsConfig => ({
  messagesPerWindow: numberOr(process.env.MESSAGE_RATE_LIMIT, 10),
  rateWindowSeconds: numberOr(process.env.MESSAGE_RATE_WINDOW_SECONDS, 1),
  messageBurst: numberOr(process.env.MESSAGE_BURST, 30),
  editsPerWindow: numberOr(process.env.EDIT_RATE_LIMIT, 5),
  editBurst: numberOr(process.env.EDIT_BURST, 20),
  eventsPerWindow: numberOr(process.env.EVENT_RATE_LIMIT, 20),
  eventBurst: numberOr(process.env.EVENT_BURST, 600),
  connectionsPerUser: numberOr(process.env.MAX_CONNECTIONS_PER_USER, 10),
  roomsPerSocket: numberOr(process.env.MAX_ROOMS_PER_SOCKET, 500),
}));
