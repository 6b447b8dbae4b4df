import type { Namespace } from 'socket.io';

import type { ServerEventName, ServerPayload } from '@chat/contracts';

import type { ChatSocket } from './socket-types';

/**
 * Emits to one socket of this instance, now. With connection state recovery on, `socket.emit` goes
 * through the adapter so the packet can be replayed later: a Redis XADD that every instance reads,
 * and a delivery that happens only once Redis has answered — after a `disconnect()` issued right
 * behind it. For the reason a session ends, sent just before the server closes the connection,
 * neither is wanted. (The `session` greeting goes through the adapter: it gives the client the first
 * offset that connection state recovery resumes from.)
 */
export function emitHere<E extends ServerEventName>(
  socket: ChatSocket,
  event: E,
  payload: ServerPayload<E>,
): void {
  // socket.io's typed emit cannot follow a generic event name; the signature above keeps callers exact.
  (socket.nsp as unknown as Namespace).local.to(socket.id).emit(event, payload);
}
