import { registerAs } from '@nestjs/config';

import { int, readEnv } from './env-var';

export const realtimeEnv = {
  SOCKET_MAX_BUFFERED_BYTES: int(
    64 * 1024,
    1024 * 1024 * 1024,
    4 * 1024 * 1024,
    'a connection with more output waiting than this (a client that stopped reading) is closed; checked every second',
    '`4194304` (4 MiB)',
  ),
};

export interface RealtimeConfig {
  /**
   * A connection with more output waiting than this — a client that stopped reading — is closed,
   * so one slow consumer cannot grow the instance's memory without bound.
   */
  maxBufferedBytes: number;
}

export const realtimeConfig = registerAs('realtime', (): RealtimeConfig => ({
  maxBufferedBytes: readEnv(realtimeEnv).SOCKET_MAX_BUFFERED_BYTES,
}));
