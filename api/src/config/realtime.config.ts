import { registerAs } from '@nestjs/config';

export interface RealtimeConfig {
  /**
   * A connection with more output waiting than this — a client that stopped reading — is closed,
   * so one slow consumer cannot grow the instance's memory without bound.
   */
  maxBufferedBytes: number;
}

export const realtimeConfig = registerAs('realtime', (): RealtimeConfig => ({
  maxBufferedBytes: process.env.SOCKET_MAX_BUFFERED_BYTES
    ? Number(process.env.SOCKET_MAX_BUFFERED_BYTES)
    : 4 * 1024 * 1024,
}));
