import type { ServerEventName, ServerPayload } from '@chat/contracts';
import type { ChatSocket } from '@chat/sdk';

const WAIT_LIMIT_MS = 5_000;

/**
 * Records every event of one kind a socket receives, and waits — bounded, never by sleeping — for
 * one that matches. Tests read `events` to assert what did and did not arrive.
 */
export class EventRecorder<E extends ServerEventName> {
  readonly events: ServerPayload<E>[] = [];
  private waiters: {
    predicate: (event: ServerPayload<E>) => boolean;
    resolve: (event: ServerPayload<E>) => void;
  }[] = [];
  private readonly unsubscribe: () => void;

  constructor(socket: ChatSocket, event: E) {
    this.unsubscribe = socket.on(event, ((payload: ServerPayload<E>) => {
      this.events.push(payload);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.predicate(payload)) return true;
        waiter.resolve(payload);
        return false;
      });
    }) as never);
  }

  /** The first recorded or future event matching the predicate. */
  next(
    predicate: (event: ServerPayload<E>) => boolean = () => true,
    label = 'event',
  ): Promise<ServerPayload<E>> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${label}`)), WAIT_LIMIT_MS);
      this.waiters.push({
        predicate,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  stop(): void {
    this.unsubscribe();
  }
}

/** Emits anything, typed or not, and returns the raw ack: how the bad-input tests talk to the server. */
export function rawAck(socket: ChatSocket, event: string, ...args: unknown[]): Promise<any> {
  const untyped = socket.socket as unknown as {
    timeout(ms: number): { emitWithAck(...a: unknown[]): Promise<unknown> };
  };
  return untyped.timeout(WAIT_LIMIT_MS).emitWithAck(event, ...args);
}
