import { SessionEvent } from '@chat/contracts';

import { TypedSocket } from '../chat-socket';

type Listener = (...args: unknown[]) => void;

/** What the fake server answers to an emit: an ack, or a socket.io-client failure. */
export type FakeAnswer = object | 'timeout' | 'disconnect';

export interface Emitted {
  event: string;
  payload: unknown;
  volatile: boolean;
}

/**
 * The slice of a socket.io-client Socket that ChatSocket uses, driven by hand: tests decide when
 * the connection comes and goes and what each emit is answered.
 */
export class FakeSocket {
  connected = false;
  active = false;
  recovered = false;
  readonly emitted: Emitted[] = [];
  /** Answers for acked emits, in order; `answer` decides when the queue is empty. */
  readonly answers: FakeAnswer[] = [];
  answer: (event: string, payload: unknown) => FakeAnswer = (event) => {
    throw new Error(`No answer queued for ${event}`);
  };
  readonly io = { on: (): void => undefined, reconnection: (): boolean => true };
  private readonly listeners = new Map<string, Set<Listener>>();

  asSocket(): TypedSocket {
    return this as unknown as TypedSocket;
  }

  on(event: string, listener: Listener): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  connect(): this {
    this.active = true;
    return this;
  }

  disconnect(): this {
    this.active = false;
    if (this.connected) {
      this.connected = false;
      this.fire('disconnect', 'io client disconnect');
    }
    return this;
  }

  timeout(_ms: number) {
    return {
      emitWithAck: (event: string, payload: unknown): Promise<unknown> => {
        this.emitted.push({ event, payload, volatile: false });
        const answer = this.answers.length > 0 ? this.answers.shift()! : this.answer(event, payload);
        if (answer === 'timeout') return Promise.reject(new Error('operation has timed out'));
        if (answer === 'disconnect') return Promise.reject(new Error('socket has been disconnected'));
        return Promise.resolve(answer);
      },
    };
  }

  get volatile() {
    return {
      emit: (event: string, payload: unknown): void => {
        this.emitted.push({ event, payload, volatile: true });
      },
    };
  }

  // ---- driven by tests ------------------------------------------------------

  /** The server accepts the handshake, then introduces itself as the gateway does. */
  acceptHandshake(session: SessionEvent = { userId: 'user-1', instanceId: 'api-1' }): void {
    this.active = true;
    this.connected = true;
    this.fire('connect');
    this.fire('session', session);
  }

  /** The transport drops; socket.io-client would now be reconnecting. */
  drop(): void {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }

  fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }

  emitsOf(event: string): unknown[] {
    return this.emitted.filter((e) => e.event === event).map((e) => e.payload);
  }
}
