import { registerAs } from '@nestjs/config';

/** Per-user limits that hold across the cluster (counted in Redis when it is configured). */
export interface LimitsConfig {
  /** Sustained message:send rate per user (all of the user's sockets and instances together): this many per window. */
  messagesPerWindow: number;
  rateWindowSeconds: number;
  /** Extra messages a user may send above the sustained rate within ten windows. */
  messageBurst: number;
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
  connectionsPerUser: numberOr(process.env.MAX_CONNECTIONS_PER_USER, 10),
  roomsPerSocket: numberOr(process.env.MAX_ROOMS_PER_SOCKET, 500),
}));
