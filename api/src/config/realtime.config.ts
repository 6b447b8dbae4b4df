import { registerAs } from '@nestjs/config';

export interface RealtimeConfig {
  /**
   * A connection with more output waiting than this — a client that stopped reading — is closed,
   * so one slow consumer cannot grow the instance's memory without bound.
   */
  maxBufferedBytes: number;
  /**
   * How long a socket's last check of its credentials (not revoked, account not suspended) stands
   * before its next event checks them again: the longest a missed session-ending broadcast can go
   * unnoticed by a socket that keeps writing.
   */
  recheckMs: number;
}

export const realtimeConfig = registerAs('realtime', (): RealtimeConfig => ({
  maxBufferedBytes: process.env.SOCKET_MAX_BUFFERED_BYTES
    ? Number(process.env.SOCKET_MAX_BUFFERED_BYTES)
    : 4 * 1024 * 1024,
  recheckMs: process.env.SOCKET_RECHECK_MS ? Number(process.env.SOCKET_RECHECK_MS) : 5_000,
}));
