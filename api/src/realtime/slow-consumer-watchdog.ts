import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Server } from 'socket.io';

import { AllConfig } from '../config/config.type';
import { chatMetrics } from '../metrics/chat-metrics';

/** How often every connection's backlog is measured: memory can grow for at most this long past the limit. */
const CHECK_INTERVAL_MS = 1_000;

/**
 * What this reads of engine.io 6 and ws 8 (not their typed API: `clients`, `writeBuffer` and the
 * transport's `socket` are internal). engine.io puts no cap on a connection's output
 * (https://github.com/socketio/engine.io/issues/420). When a client stops reading, the kernel's
 * socket buffers fill, then ws keeps what it could not write (`bufferedAmount`), and the websocket
 * transport stays unwritable until that is flushed, so engine.io queues every further packet in
 * `writeBuffer`. Polling keeps it all in `writeBuffer` until the client's next GET.
 */
interface EngineConnection {
  readonly id: string;
  readonly remoteAddress: string;
  readonly writeBuffer: readonly { data?: unknown }[];
  readonly transport: { readonly name: string; readonly socket?: WsSocket };
  close(discard: boolean): void;
}

interface WsSocket {
  readonly bufferedAmount: number;
  terminate(): void;
}

/**
 * Bounds what one connection may hold in this instance's memory: once a second it measures each
 * connection's unsent output, and closes a connection with more than SOCKET_MAX_BUFFERED_BYTES
 * waiting (a client that stopped reading, or reads far slower than its rooms talk). The client sees
 * a dropped connection; when it reconnects, the SDK catches up from history.
 */
@Injectable()
export class SlowConsumerWatchdog implements OnApplicationShutdown {
  private readonly logger = new Logger(SlowConsumerWatchdog.name);
  private readonly maxBufferedBytes: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(config: ConfigService<AllConfig, true>) {
    this.maxBufferedBytes = config.get('realtime.maxBufferedBytes', { infer: true });
  }

  watch(server: Pick<Server, 'engine'>): void {
    const engine = server.engine as unknown as { clients: Record<string, EngineConnection> };
    this.timer = setInterval(() => this.check(engine.clients), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(connections: Record<string, EngineConnection>): void {
    for (const id in connections) {
      const connection = connections[id];
      const queued = queuedBytes(connection, this.maxBufferedBytes);
      if (queued > this.maxBufferedBytes) this.close(connection, queued);
    }
  }

  private close(connection: EngineConnection, queued: number): void {
    const ws = connection.transport.name === 'websocket' ? connection.transport.socket : undefined;
    // discard: close now. Without it engine.io waits for the backlog to drain, which never happens.
    connection.close(true);
    // ws.close() (what engine.io calls) waits up to 30 s for the client's close frame, keeping the
    // buffer; this client reads nothing, so drop the TCP connection at once.
    ws?.terminate();
    chatMetrics.slowConsumerDisconnects.inc();
    this.logger.warn(
      `Closed slow connection ${connection.id} (${connection.remoteAddress}): ` +
        `at least ${queued} bytes waiting, limit ${this.maxBufferedBytes}`,
    );
  }
}

/**
 * Output waiting for one connection, counted until it passes `limit`. Text is counted by length
 * (UTF-16 units, at most 3× less than its UTF-8 size): cheap enough to run every second.
 */
function queuedBytes(connection: EngineConnection, limit: number): number {
  const ws = connection.transport.name === 'websocket' ? connection.transport.socket : undefined;
  let bytes = ws?.bufferedAmount ?? 0;
  for (const packet of connection.writeBuffer) {
    if (bytes > limit) break;
    const data = packet.data;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}
