import WebSocket from 'ws';

const WAIT_LIMIT_MS = 5_000;

/** What the server answered to a namespace CONNECT. */
export type RawConnectResult =
  | { connected: true; sid: string; pid: string | undefined }
  | { connected: false; error: { message: string; data?: { code?: string; message?: string } } };

/**
 * A Socket.IO client spoken by hand (engine.io v4 + socket.io v5 text packets) over a bare
 * WebSocket, so a test controls the transport and the packets: `stopReading()` pauses the TCP
 * socket (the server's output piles up as for a stalled phone), and `open()` + `handshake()` send a
 * CONNECT with any auth at all — a garbage token next to a real recovery `pid`/`offset`, say.
 * Every packet received is kept in `packets`, in order.
 */
export class RawSocketIoClient {
  readonly packets: string[] = [];
  private readonly waiters = new Set<Waiter>();
  private nextAckId = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.onPacket(data.toString()));
    const failAll = (error: Error) => {
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters.clear();
    };
    ws.on('error', failAll);
    ws.on('close', () => failAll(new Error('WebSocket closed')));
  }

  /** Opens the WebSocket transport directly and connects to the default namespace with `auth: { token }`. */
  static async connect(baseUrl: string, token: string): Promise<RawSocketIoClient> {
    const client = await RawSocketIoClient.open(baseUrl);
    const result = await client.handshake({ token });
    if (!result.connected) throw new Error(`Connection refused: ${JSON.stringify(result.error)}`);
    return client;
  }

  /** Opens the engine.io WebSocket transport, without connecting to any namespace yet. */
  static async open(baseUrl: string): Promise<RawSocketIoClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const client = new RawSocketIoClient(new WebSocket(url));
    await client.waitFor((packet) => packet.startsWith('0{'), 'engine.io open');
    return client;
  }

  /** Sends the namespace CONNECT with exactly this auth object and returns the server's answer. */
  async handshake(auth: Record<string, unknown>): Promise<RawConnectResult> {
    this.ws.send(`40${JSON.stringify(auth)}`);
    const answer = await this.waitFor((packet) => /^4[04]/.test(packet), 'socket.io connect');
    const body = JSON.parse(answer.slice(2)) as Record<string, unknown>;
    if (answer.startsWith('40')) {
      return { connected: true, sid: body.sid as string, pid: body.pid as string | undefined };
    }
    return { connected: false, error: body as { message: string } };
  }

  /**
   * Opens a WebSocket and sends one CONNECT to `namespace` with exactly the given `auth` (anything,
   * including what no SDK would send); resolves with the server's answer packet, CONNECT (`40…`) or
   * CONNECT_ERROR (`44…`), or `closed` if the server dropped the connection instead, then closes.
   */
  static async handshake(baseUrl: string, namespace: string, auth: unknown): Promise<string> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const client = new RawSocketIoClient(new WebSocket(url));
    try {
      await client.waitFor((packet) => packet.startsWith('0{'), 'engine.io open');
      client.ws.send(`40${namespace},${JSON.stringify(auth)}`);
      return await client.waitFor(
        (packet) => packet.startsWith(`40${namespace},`) || packet.startsWith(`44${namespace},`),
        `${namespace} connect`,
      );
    } catch (error) {
      if ((error as Error).message === 'WebSocket closed') return 'closed';
      throw error;
    } finally {
      client.close();
    }
  }

  async emitWithAck(event: string, payload: unknown): Promise<unknown> {
    const id = this.nextAckId++;
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    const ack = await this.waitFor((packet) => packet.startsWith(`43${id}[`), `ack of ${event}`);
    return (JSON.parse(ack.slice(`43${id}`.length)) as unknown[])[0];
  }

  /** Emits without asking for an ack. */
  emit(event: string, ...args: unknown[]): void {
    this.ws.send(`42${JSON.stringify([event, ...args])}`);
  }

  /** The events received so far (name and arguments), in order; with recovery the last argument is the offset. */
  events(): { name: string; args: unknown[] }[] {
    return this.packets.filter(isEventPacket).map((packet) => {
      const [name, ...args] = JSON.parse(packet.slice(2)) as [string, ...unknown[]];
      return { name, args };
    });
  }

  /** The recovery offset of the last event received: what a socket.io client sends back on reconnect. */
  lastOffset(): string | undefined {
    const events = this.events();
    for (let i = events.length - 1; i >= 0; i--) {
      const last = events[i].args[events[i].args.length - 1];
      if (typeof last === 'string') return last;
    }
    return undefined;
  }

  /** The first event received, or to be received, with this name that matches. */
  async nextEvent(name: string, match: (payload: any) => boolean = () => true): Promise<unknown[]> {
    const matches = (packet: string) => {
      if (!isEventPacket(packet)) return false;
      const [eventName, ...args] = JSON.parse(packet.slice(2)) as [string, ...unknown[]];
      return eventName === name && match(args[0]);
    };
    const packet = this.packets.find(matches) ?? (await this.waitFor(matches, `event ${name}`));
    return (JSON.parse(packet.slice(2)) as unknown[]).slice(1);
  }

  /** Stops reading from the TCP socket: nothing more is taken from the kernel, not even pings. */
  stopReading(): void {
    this.ws.pause();
  }

  /** Drops the transport without any goodbye, as a network failure does. */
  close(): void {
    this.ws.terminate();
  }

  private onPacket(packet: string): void {
    if (packet === '2') {
      this.ws.send('3'); // engine.io ping → pong, while still reading
      return;
    }
    this.packets.push(packet);
    for (const waiter of this.waiters) {
      if (waiter.match(packet)) {
        this.waiters.delete(waiter);
        waiter.resolve(packet);
      }
    }
  }

  private waitFor(match: (packet: string) => boolean, label: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out waiting for ${label}`));
      }, WAIT_LIMIT_MS);
      const waiter: Waiter = {
        match,
        resolve: (packet) => {
          clearTimeout(timer);
          resolve(packet);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }
}

/** A socket.io EVENT packet of the default namespace without an ack id: `42[...]`. */
const isEventPacket = (packet: string): boolean => packet.startsWith('42[');

interface Waiter {
  match(packet: string): boolean;
  resolve(packet: string): void;
  reject(error: Error): void;
}
