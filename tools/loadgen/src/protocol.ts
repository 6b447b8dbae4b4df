/** What the orchestrator and its client worker processes say to each other over IPC. */
import type { Message } from '@chat/contracts';

export type TargetKind = 'project' | 'sio' | 'ws';

export interface ClientSpec {
  url: string;
  roomId: string;
  /** Project only: a JWT for the handshake. */
  token?: string;
  /** 127.0.0.x: spreads clients over source addresses (each has ~28k ephemeral ports). */
  localAddress: string;
}

export interface WorkerSetup {
  kind: TargetKind;
  clients: ClientSpec[];
  /** Indexes into `clients` of the sockets that send. */
  senders: number[];
  /** Concurrent connection attempts per worker (connection storms are a scenario of their own). */
  connectConcurrency: number;
}

export interface StepCommand {
  type: 'step';
  step: number;
  /** Messages per second this worker sends, spread over its senders. */
  rate: number;
  /**
   * Closed loop instead of a rate: each sender keeps this many sends in flight (the next goes when
   * one is acked), to find the most a target stores and acks, not what an offered rate gets.
   */
  window?: number;
  durationMs: number;
  /** How long to keep listening after the last send. */
  drainMs: number;
}

export type ToWorker = { type: 'setup'; setup: WorkerSetup } | StepCommand | { type: 'stop' };

export interface ConnectReport {
  type: 'connected';
  connected: number;
  failed: number;
  /** Per socket: handshake (+ join) time, ms. */
  handshakeMs: number[];
  elapsedMs: number;
  firstError?: string;
}

export interface StepReport {
  type: 'stepDone';
  step: number;
  sent: number;
  acked: number;
  /** Acks that arrived before the step's time was up (closed loop: the throughput). */
  ackedInTime: number;
  ackFailed: number;
  received: number;
  /** Raw delivery latencies, ms (send timestamp in the payload → receipt). */
  latencies: number[];
  /** Raw ack latencies, ms. */
  ackLatencies: number[];
  /** CPU this client process spent (user + system) during the step, and the step's wall time, ms. */
  cpuMs: number;
  wallMs: number;
  /** Bytes of one delivered event as JSON (the first of the step); 0 when none arrived. */
  payloadBytes: number;
}

/** The counts of one step, all zero: what a worker starts from and what the pool merges into. */
export function emptyCounts(): Omit<StepReport, 'type' | 'step'> {
  return {
    sent: 0,
    acked: 0,
    ackedInTime: 0,
    ackFailed: 0,
    received: 0,
    latencies: [],
    ackLatencies: [],
    cpuMs: 0,
    wallMs: 0,
    payloadBytes: 0,
  };
}

export type FromWorker = ConnectReport | StepReport | { type: 'error'; message: string };

/** ~100-byte body: timestamp, step, and padding, as JSON so every target carries it as text. */
export function encodeBody(step: number, sentAt: number, sender: number, seq: number): string {
  const core = JSON.stringify({ t: sentAt, st: step, s: sender, n: seq, p: '' });
  return core.replace('"p":""', `"p":"${'x'.repeat(Math.max(0, 100 - core.length))}"`);
}

export function decodeBody(body: string): { t: number; st: number } | null {
  try {
    const value = JSON.parse(body) as { t?: unknown; st?: unknown };
    return typeof value.t === 'number' && typeof value.st === 'number' ? { t: value.t, st: value.st } : null;
  } catch {
    return null;
  }
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * What the baselines broadcast: a `message:new` as the project sends it (every field, the nulls and
 * the nested sender), with the bench body inside, so both sides encode and carry the same bytes.
 */
export function baselineMessage(body: string, roomId: string, seq: number): Message {
  return {
    id: '0190c6a2-7b1e-7cc3-9d2f-3f5e8a1b2c4d',
    roomId,
    seq,
    senderId: '5b0f3c9e-2a41-4f7e-9c61-0d8e7a6b5c4f',
    sender: {
      id: '5b0f3c9e-2a41-4f7e-9c61-0d8e7a6b5c4f',
      username: 'b5b0f3c9e2a414f7e9c61',
      displayName: 'b5b0f3c9e2a414f7e9c61',
    },
    body,
    clientMsgId: '7d3e2f1a-9b8c-4d6e-a5f4-3c2b1a0e9d8c',
    instanceId: 'api-1',
    createdAt: new Date().toISOString(),
    editedAt: null,
    deletedAt: null,
    threadRootId: null,
    replyCount: 0,
    lastReplyAt: null,
    reactions: [],
    mentions: [],
  };
}
