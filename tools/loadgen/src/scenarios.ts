import { PgbenchResult, pgbenchInserts } from './pgbench';
import { LatencySummary, summarize } from './stats';
import { Target, TargetName, rssBytes, startBaseline, startProject } from './targets';
import { WorkerPool } from './workers';

export interface Sizes {
  fanoutSockets: number;
  fanoutSenders: number;
  fanoutRates: number[];
  latencySockets: number;
  latencyRate: number;
  roomsSockets: number;
  roomSize: number;
  roomsRatePerSocket: number;
  connections: number;
  /** Store scenario: sockets (each alone in its room, every one sending) and sends each keeps in flight. */
  storeSockets: number;
  storeWindow: number;
  /** B4's pgbench clients: the transactions the project's group commit keeps in flight (4 per instance × 2). */
  pgbenchClients: number;
  stepMs: number;
  drainMs: number;
  clientProcesses: number;
}

export const FULL: Sizes = {
  fanoutSockets: 1000,
  fanoutSenders: 10,
  // 20k to 150k deliveries/s in steps of 10k (1,000 sockets in one room).
  fanoutRates: Array.from({ length: 14 }, (_, i) => 20 + 10 * i),
  latencySockets: 1000,
  // 100k deliveries/s.
  latencyRate: 100,
  roomsSockets: 5000,
  roomSize: 10,
  roomsRatePerSocket: 1,
  connections: 50_000,
  storeSockets: 200,
  storeWindow: 4,
  pgbenchClients: 8,
  stepMs: 5000,
  drainMs: 1500,
  // Two: they share the load generator's one core, and more only add context switches.
  clientProcesses: 2,
};

export const QUICK: Sizes = {
  ...FULL,
  fanoutSockets: 500,
  fanoutRates: [40, 100, 200],
  latencyRate: 50,
  roomsSockets: 1000,
  connections: 2000,
  stepMs: 3000,
  drainMs: 700,
  clientProcesses: 2,
};

/** Seconds, tiny numbers: proves the whole pipeline works (part of `npm test`). */
export const SMOKE: Sizes = {
  fanoutSockets: 6,
  fanoutSenders: 2,
  fanoutRates: [5],
  latencySockets: 6,
  latencyRate: 5,
  roomsSockets: 6,
  roomSize: 3,
  roomsRatePerSocket: 1,
  connections: 10,
  storeSockets: 4,
  storeWindow: 2,
  pgbenchClients: 2,
  stepMs: 1000,
  drainMs: 500,
  clientProcesses: 2,
};

export interface StepResult {
  offeredMsgPerSec: number;
  offeredDeliveriesPerSec: number;
  deliveriesPerSec: number;
  deliveryRatio: number;
  latency: LatencySummary;
  ack: LatencySummary;
  ackFailed: number;
  /** Acked per second within the step's time (closed loop: the throughput). */
  ackedPerSec: number;
  lagP99Ms: number[];
  /** The load generator's CPU while it offered the load, as a fraction of one core (all its processes). */
  loadgenCpu: number;
  /** Over LOADGEN_CPU_LIMIT: the run measured the load generator as much as the target. */
  invalid: boolean;
  /** Bytes of one delivered event as JSON. */
  payloadBytes: number;
}

/** The rule: a step where the load generator used more than 85 % of its core is not valid. */
export const LOADGEN_CPU_LIMIT = 0.85;

export interface FanoutResult {
  target: TargetName;
  steps: StepResult[];
  /** Deliveries/s at the last step with p99 ≤ 250 ms and every message delivered. */
  kneeDeliveriesPerSec: number;
}

export interface LatencyResult {
  target: TargetName;
  step: StepResult;
}

export interface RoomsResult {
  target: TargetName;
  step: StepResult;
  committedPerSec: number;
  stored: number | null;
}

export interface ConnectionsResult {
  target: TargetName;
  connected: number;
  failed: number;
  connectPerSec: number;
  handshake: LatencySummary;
  rssPerConnectionKiB: number;
}

const KNEE_P99_MS = 250;

async function startTarget(name: TargetName, instances: number): Promise<Target> {
  if (name === 'project') return startProject(instances);
  const multiProcess = name === 'B3 socket.io+redis' || name === 'B2j socket.io+jwt';
  return startBaseline(name, multiProcess ? instances : 1);
}

async function measureStep(
  pool: WorkerPool,
  target: Target,
  step: number,
  rate: number,
  membersPerRoom: number,
  sizes: Sizes,
  window?: number,
): Promise<StepResult> {
  await target.lagP99(); // starts a fresh lag window
  const merged = await pool.step(step, rate, sizes.stepMs, sizes.drainMs, window);
  const lagP99Ms = await target.lagP99();
  const expected = merged.sent * membersPerRoom;
  const loadgenCpu = merged.wallMs > 0 ? merged.cpuMs / merged.wallMs : 0;
  return {
    loadgenCpu,
    invalid: loadgenCpu > LOADGEN_CPU_LIMIT,
    payloadBytes: merged.payloadBytes,
    offeredMsgPerSec: rate,
    offeredDeliveriesPerSec: rate * membersPerRoom,
    deliveriesPerSec: merged.received / (sizes.stepMs / 1000),
    deliveryRatio: expected > 0 ? merged.received / expected : 0,
    latency: summarize(merged.latencies),
    ack: summarize(merged.ackLatencies),
    ackFailed: merged.ackFailed,
    ackedPerSec: merged.ackedInTime / (sizes.stepMs / 1000),
    lagP99Ms,
  };
}

async function withClients<T>(
  name: TargetName,
  instances: number,
  sockets: number,
  roomSize: number,
  senders: (count: number) => number[],
  sizes: Sizes,
  run: (pool: WorkerPool, target: Target) => Promise<T>,
): Promise<T> {
  const target = await startTarget(name, instances);
  try {
    const clients = await target.prepareClients(sockets, roomSize);
    const { pool, connect } = await WorkerPool.start(
      target.kind,
      clients,
      senders(sockets),
      sizes.clientProcesses,
    );
    try {
      if (connect.failed > 0)
        throw new Error(`${name}: ${connect.failed} sockets failed to connect: ${connect.firstError}`);
      return await run(pool, target);
    } finally {
      await pool.stop();
    }
  } finally {
    await target.stop();
  }
}

/** Evenly spaced senders, so they sit on every instance and every client process. */
const spreadSenders = (wanted: number) => (count: number) =>
  Array.from({ length: Math.min(wanted, count) }, (_, i) =>
    Math.floor((i * count) / Math.min(wanted, count)),
  );

export async function fanout(name: TargetName, sizes: Sizes): Promise<FanoutResult> {
  return withClients(
    name,
    2,
    sizes.fanoutSockets,
    sizes.fanoutSockets,
    spreadSenders(sizes.fanoutSenders),
    sizes,
    async (pool, target) => {
      const steps: StepResult[] = [];
      let knee = 0;
      for (const [index, rate] of sizes.fanoutRates.entries()) {
        const result = await measureStep(pool, target, index + 1, rate, sizes.fanoutSockets, sizes);
        steps.push(result);
        if (result.latency.p99 > KNEE_P99_MS || result.deliveryRatio < 1) break;
        knee = result.deliveriesPerSec;
      }
      return { target: name, steps, kneeDeliveriesPerSec: knee };
    },
  );
}

export async function fixedLatency(name: TargetName, sizes: Sizes): Promise<LatencyResult> {
  return withClients(
    name,
    2,
    sizes.latencySockets,
    sizes.latencySockets,
    spreadSenders(10),
    sizes,
    async (pool, target) => ({
      target: name,
      step: await measureStep(pool, target, 1, sizes.latencyRate, sizes.latencySockets, {
        ...sizes,
        stepMs: sizes.stepMs * 2,
      }),
    }),
  );
}

export async function manyRooms(name: TargetName, sizes: Sizes): Promise<RoomsResult> {
  const everyone = (count: number) => Array.from({ length: count }, (_, i) => i);
  return withClients(name, 2, sizes.roomsSockets, sizes.roomSize, everyone, sizes, async (pool, target) => {
    const before = await target.storedMessages();
    const rate = sizes.roomsSockets * sizes.roomsRatePerSocket;
    const step = await measureStep(pool, target, 1, rate, sizes.roomSize, sizes);
    const after = await target.storedMessages();
    const stored = before === null || after === null ? null : after - before;
    const acked = step.ack.count;
    return { target: name, step, committedPerSec: acked / (sizes.stepMs / 1000), stored };
  });
}

export async function connections(name: TargetName, sizes: Sizes): Promise<ConnectionsResult> {
  // The project and its connection baseline B2j in three processes each; bare B2 in one.
  const instances = name === 'B2 socket.io' ? 1 : 3;
  const target = await startTarget(name, instances);
  try {
    const clients = await target.prepareClients(sizes.connections, 100);
    await new Promise((r) => setTimeout(r, 1000));
    const before = target.pids.map(rssBytes);
    const processes = Math.max(sizes.clientProcesses, Math.ceil(sizes.connections / 12_500));
    const { pool, connect } = await WorkerPool.start(target.kind, clients, [], processes, 100);
    try {
      await new Promise((r) => setTimeout(r, 2000)); // let allocations settle
      const after = target.pids.map(rssBytes);
      const grown = after.reduce((sum, rss, i) => sum + (rss - before[i]), 0);
      return {
        target: name,
        connected: connect.connected,
        failed: connect.failed,
        connectPerSec: connect.connected / (connect.elapsedMs / 1000),
        handshake: summarize(connect.handshakeMs),
        rssPerConnectionKiB: connect.connected > 0 ? grown / connect.connected / 1024 : Number.NaN,
      };
    } finally {
      await pool.stop();
    }
  } finally {
    await target.stop();
  }
}

export interface StoreResult {
  b4: PgbenchResult;
  /** Closed loop: every socket keeps `storeWindow` sends in flight; acked (= stored) per second. */
  closed: StepResult;
  /** Messages stored during the closed loop (must equal the acks). */
  stored: number | null;
  /** An offered rate of half the closed loop's throughput: the ack latency there. */
  half: StepResult;
  /** Over both steps, from the instances' metrics: messages per group-commit batch, and per transaction. */
  meanBatchSize: number;
}

/** Sum of a metric's samples (e.g. `x_sum` or `x_count`) over every instance's exposition. */
function metricTotal(texts: string[], name: string): number {
  let total = 0;
  for (const text of texts)
    for (const line of text.split('\n'))
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
        total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

/**
 * Persisted throughput against Postgres's own limit (B4): the project's stored-and-acked messages/s,
 * each socket alone in its room (one delivery per message: this measures the store, not the fan-out).
 */
export async function store(sizes: Sizes): Promise<StoreResult> {
  const b4 = await pgbenchInserts(sizes.pgbenchClients, Math.max(1, Math.round(sizes.stepMs / 1000)));
  const everyone = (count: number) => Array.from({ length: count }, (_, i) => i);
  return withClients('project', 2, sizes.storeSockets, 1, everyone, sizes, async (pool, target) => {
    const before = await target.storedMessages();
    const closed = await measureStep(pool, target, 1, 0, 1, sizes, sizes.storeWindow);
    const after = await target.storedMessages();
    const half = await measureStep(
      pool,
      target,
      2,
      Math.max(1, Math.floor(closed.ackedPerSec / 2)),
      1,
      sizes,
    );
    const metrics = await target.metrics();
    const meanBatchSize =
      metricTotal(metrics, 'chat_message_batch_size_sum') /
      metricTotal(metrics, 'chat_message_batch_size_count');
    return {
      b4,
      closed,
      stored: before === null || after === null ? null : after - before,
      half,
      meanBatchSize,
    };
  });
}
