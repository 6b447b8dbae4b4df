import { PinoLogger } from 'nestjs-pino';
// nestjs-pino keeps the logger of the current HTTP request in this AsyncLocalStorage; it does not
// re-export it from its index, but it is the store its Logger reads on every call.
import { Store, storage } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';

/**
 * What request ids are to HTTP logs, connection ids are to socket logs: every line logged while a
 * socket's handshake or one of its events is handled — by any service, through Nest's Logger —
 * carries `socketId`, and `userId` once the handshake is authenticated. The socket's log context is
 * entered for the handshake middlewares (so it must be installed before them) and again for each
 * incoming packet; the handler runs inside it because Socket.IO dispatches on process.nextTick.
 */
export function attachSocketLogContext(server: Server): void {
  server.use((socket, next) => {
    const context = new SocketLogStore(socket);
    socket.use((_packet, nextPacket) => storage.run(context, nextPacket));
    storage.run(context, next);
  });
}

/**
 * The child logger is made on the first line logged, so a quiet socket costs one small object (a
 * class instance: no closure and context per socket, as an object literal with a getter needs).
 */
class SocketLogStore implements Store {
  private child: Logger | undefined;
  private withUser = false;

  constructor(private readonly socket: Socket) {}

  get logger(): Logger {
    const userId = (this.socket.data as { user?: { id: string } } | undefined)?.user?.id;
    if (!this.child || (userId && !this.withUser)) {
      const bindings = userId ? { socketId: this.socket.id, userId } : { socketId: this.socket.id };
      // Undefined only when no LoggerModule is configured; nestjs-pino then falls back to its own.
      this.child = PinoLogger.root?.child(bindings);
      this.withUser = userId !== undefined;
    }
    return this.child;
  }
}
