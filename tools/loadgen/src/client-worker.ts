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

/**
 * A receiver's frame, undecoded: the bench body is JSON inside the event's JSON, so its timestamp and
 * step are read from the raw bytes after `\"t\":` without parsing (or even decoding) the ~600-byte event.
 */
const STAMP = Buffer.from('\\"t\\":');
const COMMA = 0x2c;

function numberAt(frame: Buffer, start: number): [value: number, end: number] {
  let end = start;
  while (end < frame.length && frame[end] !== COMMA) end++;
  return [Number(frame.toString('latin1', start, end)), end];
}

function onRawEvent(frame: Buffer): void {
  if (!current) return;
  const at = frame.indexOf(STAMP);
  if (at < 0) return;
  const [sentAt, end] = numberAt(frame, at + STAMP.length);
  // `,\"st\":` follows the timestamp.
  const [step] = numberAt(frame, end + 1 + STAMP.length + 1);
  if (step !== current.step) return;
  // The event as delivered: `42[name, payload, offset?]` less the packet type.
  if (current.received === 0) current.payloadBytes = frame.length - 2;
  current.received++;
  current.latencies.push(nowMs() - sentAt);
}

/** A delivered event: the project's `message:new`, or the baselines' copy of one. */
function onMessage(message: { body: string }): void {
  const decoded = decodeBody(message.body);
  if (!decoded || !current || decoded.st !== current.step) return;
  // The size on the wire of one delivery, measured once per step, so a report shows both sides carry the same.
  if (current.received === 0) current.payloadBytes = Buffer.byteLength(JSON.stringify(message));
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
  socket.on('message:new', onMessage);
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
  socket.on('msg', onMessage);
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
  ws.on('message', (data) => onMessage(JSON.parse(data.toString()) as { body: string }));
  ws.send(JSON.stringify({ type: 'join', room: spec.roomId }));
  return {
    // A bare broadcast server has no acks: the send completes when written.
    send: async (body) => ws.send(JSON.stringify({ type: 'send', room: spec.roomId, body })),
    close: () => ws.close(),
  };
}

/**
 * A receiver that only receives: Engine.IO v4 / Socket.IO v5 spoken directly over `ws`, the same code
 * for the project and the Socket.IO baselines. socket.io-client (and the SDK on top of it) decodes
 * every event into objects; at 100k deliveries/s over 1,000 sockets that alone filled the load
 * generator's core, so the run measured the clients. Senders keep the full clients.
 */
async function openLeanReceiver(spec: ClientSpec, kind: 'project' | 'sio'): Promise<BenchClient> {
  const url = `${spec.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url, {
    perMessageDeflate: false,
    localAddress: spec.localAddress,
    skipUTF8Validation: true,
  });
  const joinPacket =
    kind === 'project'
      ? `421${JSON.stringify(['room:join', { roomId: spec.roomId }])}`
      : `421${JSON.stringify(['join', spec.roomId])}`;
  const FOUR = 0x34;
  const TWO = 0x32;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('lean receiver: no join ack in time')), ACK_TIMEOUT_MS);
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      // The hot path first: an event (`42…`).
      if (data[0] === FOUR && data[1] === TWO) return onRawEvent(data);
      const frame = data.toString();
      if (frame[0] === '0') {
        // Engine.IO open: connect to the default namespace, with the token for the project.
        ws.send(spec.token ? `40${JSON.stringify({ token: spec.token })}` : '40');
      } else if (frame === '2') {
        ws.send('3'); // ping → pong
      } else if (frame.startsWith('40')) {
        ws.send(joinPacket);
      } else if (frame.startsWith('431')) {
        clearTimeout(timer);
        if (kind === 'sio' || frame.includes('"lastSeq"')) resolve();
        else reject(new Error(`lean receiver: join refused: ${frame.slice(0, 200)}`));
      } else if (frame.startsWith('44')) {
        clearTimeout(timer);
        reject(new Error(`lean receiver: connect refused: ${frame.slice(0, 200)}`));
      }
    });
  });
  return {
    send: () => Promise.reject(new Error('a lean receiver does not send')),
    close: () => ws.close(),
  };
}

const OPENERS = { project: openProject, sio: openSocketIo, ws: openWs };

async function connectAll(config: WorkerSetup): Promise<void> {
  setup = config;
  const senders = new Set(config.senders);
  const open = (spec: ClientSpec, index: number) =>
    config.kind !== 'ws' && !senders.has(index)
      ? openLeanReceiver(spec, config.kind)
      : OPENERS[config.kind](spec);
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
        opened[index] = await open(config.clients[index], index);
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
  const cpuBefore = process.cpuUsage();
  const start = nowMs();
  let seq = 0;
  const sendOne = (sender: number): Promise<void> => {
    const sentAt = nowMs();
    report.sent++;
    return senders[sender].send(encodeBody(command.step, sentAt, sender, seq++)).then(
      () => {
        const ackedAt = nowMs();
        report.acked++;
        if (ackedAt - start <= command.durationMs) report.ackedInTime++;
        report.ackLatencies.push(ackedAt - sentAt);
      },
      () => {
        report.ackFailed++;
      },
    );
  };
  const inFlight: Promise<void>[] = [];
  if (senders.length > 0 && command.window) {
    const window = command.window;
    // Closed loop: every sender keeps `window` sends in flight until the step's time is up.
    const lane = async (sender: number) => {
      while (nowMs() - start < command.durationMs) await sendOne(sender);
    };
    inFlight.push(...senders.flatMap((_, sender) => Array.from({ length: window }, () => lane(sender))));
    await new Promise((resolve) => setTimeout(resolve, command.durationMs));
  } else if (senders.length > 0 && command.rate > 0) {
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = nowMs() - start;
        const due = Math.min(
          Math.floor((Math.min(elapsed, command.durationMs) * command.rate) / 1000),
          Math.floor((command.durationMs * command.rate) / 1000),
        );
        while (report.sent < due) inFlight.push(sendOne(report.sent % senders.length));
        if (elapsed >= command.durationMs) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });
  } else {
    await new Promise((resolve) => setTimeout(resolve, command.durationMs));
  }
  // The load generator's own CPU while it offered the load: a run where it nears a full core measured
  // the load generator, not the target.
  const cpu = process.cpuUsage(cpuBefore);
  report.cpuMs = (cpu.user + cpu.system) / 1000;
  report.wallMs = nowMs() - start;
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
