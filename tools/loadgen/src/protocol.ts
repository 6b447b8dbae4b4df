/** What the orchestrator and its client worker processes say to each other over IPC. */

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
  ackFailed: number;
  received: number;
  /** Raw delivery latencies, ms (send timestamp in the payload → receipt). */
  latencies: number[];
  /** Raw ack latencies, ms. */
  ackLatencies: number[];
}

/** The counts of one step, all zero: what a worker starts from and what the pool merges into. */
export function emptyCounts(): Omit<StepReport, 'type' | 'step'> {
  return { sent: 0, acked: 0, ackFailed: 0, received: 0, latencies: [], ackLatencies: [] };
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
