import type { Server, Socket } from 'socket.io';

import type { ClientToServerEvents, ServerToClientEvents, SessionEndedEvent } from '@chat/contracts';

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
  /**
   * Set when a bot connected with an API key (then `tokenId` is the key's id, so revoking the key
   * ends the socket through the token channel): the only rooms the socket may join and write to.
   */
  botKeyRoomIds?: string[];
}

/** Between instances (Socket.IO `serverSideEmit`): the receiving instance ends its sockets of a channel. */
export const END_SESSIONS = 'sessions:end';

export interface InterServerEvents {
  [END_SESSIONS]: (channel: string, ended: SessionEndedEvent) => void;
}

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
