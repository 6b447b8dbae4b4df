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
  SOCKET_RECHECK_MS: int(
    0,
    600_000,
    5_000,
    "how long a socket's last check of its credentials (token not revoked, account not suspended) and of its membership of a room it signals typing in stands; its next event after that checks again (`0`: every event)",
  ),
};

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

export const realtimeConfig = registerAs('realtime', (): RealtimeConfig => {
  const env = readEnv(realtimeEnv);
  return { maxBufferedBytes: env.SOCKET_MAX_BUFFERED_BYTES, recheckMs: env.SOCKET_RECHECK_MS };
});
