import { Injectable, OnApplicationShutdown } from '@nestjs/common';

import { emitHere } from '../realtime/emit-here';
import type { ChatServer, ChatSocket } from '../realtime/socket-types';

/** How often sockets are checked: a session ends at most this long after its token expired. */
const CHECK_INTERVAL_MS = 1_000;

/**
 * Ends a socket's session when its token expires (unless `auth:refresh` gave it a newer one):
 * `session:ended` with reason `expired`, then the server closes it. A token stays valid only as long
 * as it says, on a long-lived connection as much as on a REST call.
 * One sweep over this instance's sockets per second rather than a timer per socket: refreshes just
 * move `expiresAtMs`, and 50,000 sockets cost about a millisecond per sweep.
 */
@Injectable()
export class SessionExpiry implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  watch(server: ChatServer): void {
    this.timer = setInterval(() => this.sweep(server.of('/').sockets), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sweep(sockets: Map<string, ChatSocket>): void {
    const now = Date.now();
    for (const socket of sockets.values()) {
      if (socket.data.expiresAtMs <= now) {
        emitHere(socket, 'session:ended', {
          reason: 'expired',
          message: 'Your token expired: refresh it (auth:refresh) before it does, or sign in again',
        });
        socket.disconnect(true);
      }
    }
  }
}
