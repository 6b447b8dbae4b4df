import WebSocket from 'ws';

const WAIT_LIMIT_MS = 5_000;

/**
 * A Socket.IO client spoken by hand (engine.io v4 + socket.io v5 text packets) over a bare
 * WebSocket, so a test controls the transport: `stopReading()` pauses the TCP socket, and from then
 * on the server's output piles up exactly as it would for a stalled phone or a stuck process.
 */
export class RawSocketIoClient {
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
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const client = new RawSocketIoClient(new WebSocket(url));
    await client.waitFor((packet) => packet.startsWith('0{'), 'engine.io open');
    client.ws.send(`40${JSON.stringify({ token })}`);
    const connected = await client.waitFor((packet) => /^4[04]/.test(packet), 'socket.io connect');
    if (!connected.startsWith('40')) throw new Error(`Connection refused: ${connected}`);
    return client;
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

  /** Stops reading from the TCP socket: nothing more is taken from the kernel, not even pings. */
  stopReading(): void {
    this.ws.pause();
  }

  close(): void {
    this.ws.terminate();
  }

  private onPacket(packet: string): void {
    if (packet === '2') this.ws.send('3'); // engine.io ping → pong, while still reading
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

interface Waiter {
  match(packet: string): boolean;
  resolve(packet: string): void;
  reject(error: Error): void;
}
