import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

import { RealtimeBroadcaster } from './realtime-broadcaster';

/** In-flight sends get this long to commit and ack before the connections are closed anyway. */
const IN_FLIGHT_GRACE_MS = 5_000;

/**
 * Graceful shutdown of the socket side. On SIGTERM (app.close): readiness turns false so the load
 * balancer stops routing here, new handshakes and sends are refused as UNAVAILABLE (clients retry
 * elsewhere), in-flight sends finish and ack, then every transport is closed — which socket.io
 * clients treat as a network drop and answer by reconnecting, through the balancer, to another instance.
 */
@Injectable()
export class DrainService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DrainService.name);
  private inFlight = 0;
  private idle: (() => void) | null = null;
  draining = false;

  constructor(private readonly broadcaster: RealtimeBroadcaster) {}

  /** Counts work that must finish before the connections close. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    if (this.inFlight > 0) {
      this.logger.log(`Draining: waiting for ${this.inFlight} in-flight sends`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, IN_FLIGHT_GRACE_MS);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const closed = this.broadcaster.closeAllConnections();
    this.logger.log(`Draining: closed ${closed} connections; clients reconnect elsewhere`);
  }
}
