import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';

/**
 * How a cut looks to the application:
 * - `refuse`: open connections are reset, new ones are reset as soon as they are accepted
 *   (Postgres stopped or crashed: ECONNRESET, "Connection terminated unexpectedly");
 * - `blackhole`: open connections are reset, new ones are accepted but never answered
 *   (a dead host behind a firewall that drops packets: only a connect timeout ends the wait);
 * - `freeze`: open connections stay open but nothing gets through; what is sent is held and delivered
 *   on `restore()`, as TCP retransmits once a partition heals. New connections are never answered.
 */
export type CutMode = 'refuse' | 'blackhole' | 'freeze';

interface Link {
  client: Socket;
  /** Null for a connection accepted during a cut: it is never forwarded. */
  upstream: Socket | null;
  /** While frozen, bytes in each direction wait here. */
  held: { toUpstream: Buffer[]; toClient: Buffer[] } | null;
}

/**
 * A TCP proxy on 127.0.0.1 for failure tests: the application talks to a service through it, and
 * the test cuts and restores the path without touching the service, which other tests share.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private mode: CutMode | null = null;
  /** Connections the application opened through the proxy, cut or not. */
  acceptedConnections = 0;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The same URL with its host and port replaced by the proxy's. */
  proxiedUrl(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  cut(mode: CutMode): void {
    this.mode = mode;
    for (const link of this.links) {
      if (mode !== 'freeze') this.drop(link);
      else link.held ??= { toUpstream: [], toClient: [] };
    }
  }

  /**
   * Serves new connections again. Frozen connections get what was held and carry on; connections
   * accepted during the cut are closed (the application has given up on them by now).
   */
  restore(): void {
    this.mode = null;
    for (const link of this.links) {
      if (!link.upstream) {
        this.drop(link);
        continue;
      }
      const held = link.held;
      link.held = null;
      for (const chunk of held?.toUpstream ?? []) link.upstream.write(chunk);
      for (const chunk of held?.toClient ?? []) link.client.write(chunk);
    }
  }

  async close(): Promise<void> {
    for (const link of this.links) this.drop(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.acceptedConnections++;
    const link: Link = { client, upstream: null, held: null };
    this.links.add(link);
    client.on('error', () => this.drop(link));
    client.on('close', () => this.drop(link));
    if (this.mode === 'refuse') {
      this.drop(link);
      return;
    }
    // Read even while cut, so the application's writes succeed and it simply hears nothing.
    client.on('data', (chunk: Buffer) => {
      if (link.held) link.held.toUpstream.push(chunk);
      else link.upstream?.write(chunk);
    });
    if (this.mode !== null) return;
    const upstream = connect(this.target.port, this.target.host);
    link.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => {
      if (link.held) link.held.toClient.push(chunk);
      else client.write(chunk);
    });
    upstream.on('error', () => this.drop(link));
    upstream.on('close', () => this.drop(link));
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    // destroy(), not resetAndDestroy(): on Node 20 a socket closed with a reset here left a handle that
    // never finished closing, and the test process spun forever in its exit cleanup once another
    // suite had run in it (the whole CI run hung after the last test). The application sees the
    // connection end unexpectedly either way.
    link.client.destroy();
    link.upstream?.destroy();
  }
}
