import type { Server, Socket } from 'socket.io';

import type { ClientToServerEvents, ServerToClientEvents } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';

/** What the handshake middleware attaches to every socket. */
export interface ChatSocketData {
  user: AuthUser;
  /** The `jti` of the token the socket authenticated with (replaced by `auth:refresh`). */
  tokenId: string | null;
  /** The sign-in session (`sid`) of that token: logout ends every socket of it. */
  sessionId: string | null;
  /** When that token expires: the session ends then unless refreshed. */
  expiresAtMs: number;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

export type ChatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  ChatSocketData
>;
export type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  ChatSocketData
>;
