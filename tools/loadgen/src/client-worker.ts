/**
 * One client process of the load generator: opens its share of sockets against one target kind,
 * then sends and receives on command, keeping raw latency samples. The same payloads and send loop
 * drive the project (through the SDK) and the bare baselines.
 */
import { Socket, io } from 'socket.io-client';
import WebSocket from 'ws';

import { ChatClient, ChatSocket } from '@chat/sdk';

import {
  ClientSpec,
  FromWorker,
  StepCommand,
  StepReport,
  ToWorker,
  WorkerSetup,
  decodeBody,
  emptyCounts,
  encodeBody,
  nowMs,
} from './protocol';

interface BenchClient {
  send(body: string): Promise<void>;
  close(): void;
}

const TICK_MS = 10;
const ACK_TIMEOUT_MS = 10_000;

let clients: BenchClient[] = [];
let setup: WorkerSetup;
let current: StepReport | null = null;

function reply(message: FromWorker): void {
  process.send?.(message);
}

function onBody(body: string): void {
  const decoded = decodeBody(body);
  if (!decoded || !current || decoded.st !== current.step) return;
  current.received++;
  current.latencies.push(nowMs() - decoded.t);
}

async function openProject(spec: ClientSpec): Promise<BenchClient> {
  const socket: ChatSocket = new ChatClient({ baseUrl: spec.url, token: spec.token }).socket({
    transports: ['websocket'],
    localAddress: spec.localAddress,
    reconnection: false,
    requestTimeoutMs: ACK_TIMEOUT_MS,
  });
  socket.on('message:new', (message) => onBody(message.body));
  await socket.connect();
  await socket.join(spec.roomId);
  return {
    send: async (body) => {
      await socket.send(spec.roomId, body, { retries: 0 });
    },
    close: () => socket.disconnect(),
  };
}

async function openSocketIo(spec: ClientSpec): Promise<BenchClient> {
  const socket: Socket = io(spec.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    localAddress: spec.localAddress,
  } as Parameters<typeof io>[1]);
  socket.on('msg', (body: string) => onBody(body));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('join', spec.roomId);
  return {
    send: async (body) => {
      await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('send', { room: spec.roomId, body });
    },
    close: () => socket.disconnect(),
  };
}

async function openWs(spec: ClientSpec): Promise<BenchClient> {
  const ws = new WebSocket(spec.url.replace(/^http/, 'ws'), {
    perMessageDeflate: false,
    localAddress: spec.localAddress,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('message', (data) => onBody(data.toString()));
  ws.send(JSON.stringify({ type: 'join', room: spec.roomId }));
  return {
    // A bare broadcast server has no acks: the send completes when written.
    send: async (body) => ws.send(JSON.stringify({ type: 'send', room: spec.roomId, body })),
    close: () => ws.close(),
  };
}

const OPENERS = { project: openProject, sio: openSocketIo, ws: openWs };

async function connectAll(config: WorkerSetup): Promise<void> {
  setup = config;
  const open = OPENERS[config.kind];
  const handshakeMs: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const started = nowMs();
  const opened: BenchClient[] = new Array(config.clients.length);
  let next = 0;
  const lane = async () => {
    while (next < config.clients.length) {
      const index = next++;
      const begin = nowMs();
      try {
        opened[index] = await open(config.clients[index]);
        handshakeMs.push(nowMs() - begin);
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, config.connectConcurrency) }, lane));
  clients = opened;
  reply({
    type: 'connected',
    connected: handshakeMs.length,
    failed,
    handshakeMs,
    elapsedMs: nowMs() - started,
    firstError,
  });
}

async function runStep(command: StepCommand): Promise<void> {
  const report: StepReport = { type: 'stepDone', step: command.step, ...emptyCounts() };
  current = report;
  const senders = setup.senders.map((index) => clients[index]).filter(Boolean);
  const inFlight: Promise<void>[] = [];
  const start = nowMs();
  let seq = 0;
  if (senders.length > 0 && command.rate > 0) {
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = nowMs() - start;
        const due = Math.min(
          Math.floor((Math.min(elapsed, command.durationMs) * command.rate) / 1000),
          Math.floor((command.durationMs * command.rate) / 1000),
        );
        while (report.sent < due) {
          const sender = report.sent % senders.length;
          const sentAt = nowMs();
          const body = encodeBody(command.step, sentAt, sender, seq++);
          report.sent++;
          inFlight.push(
            senders[sender].send(body).then(
              () => {
                report.acked++;
                report.ackLatencies.push(nowMs() - sentAt);
              },
              () => {
                report.ackFailed++;
              },
            ),
          );
        }
        if (elapsed >= command.durationMs) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });
  } else {
    await new Promise((resolve) => setTimeout(resolve, command.durationMs));
  }
  await Promise.all(inFlight);
  await new Promise((resolve) => setTimeout(resolve, command.drainMs));
  current = null;
  reply(report);
}

process.on('message', (message: ToWorker) => {
  const run = async () => {
    if (message.type === 'setup') await connectAll(message.setup);
    else if (message.type === 'step') await runStep(message);
    else {
      for (const client of clients) client?.close();
      process.exit(0);
    }
  };
  run().catch((error: unknown) =>
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
