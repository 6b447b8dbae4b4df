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
  stepMs: number;
  drainMs: number;
  clientProcesses: number;
}

export const FULL: Sizes = {
  fanoutSockets: 1000,
  fanoutSenders: 10,
  fanoutRates: [10, 25, 50, 75, 100, 150, 200, 300],
  latencySockets: 1000,
  latencyRate: 50,
  roomsSockets: 5000,
  roomSize: 10,
  roomsRatePerSocket: 1,
  connections: 50_000,
  stepMs: 5000,
  drainMs: 1500,
  clientProcesses: 4,
};

export const QUICK: Sizes = {
  ...FULL,
  fanoutSockets: 500,
  fanoutRates: [20, 50, 100],
  roomsSockets: 1000,
  connections: 3000,
  stepMs: 3000,
  drainMs: 1000,
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
  lagP99Ms: number[];
}

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
  return startBaseline(name, name === 'B3 socket.io+redis' ? instances : 1);
}

async function measureStep(
  pool: WorkerPool,
  target: Target,
  step: number,
  rate: number,
  membersPerRoom: number,
  sizes: Sizes,
): Promise<StepResult> {
  await target.lagP99(); // starts a fresh lag window
  const merged = await pool.step(step, rate, sizes.stepMs, sizes.drainMs);
  const lagP99Ms = await target.lagP99();
  const expected = merged.sent * membersPerRoom;
  return {
    offeredMsgPerSec: rate,
    offeredDeliveriesPerSec: rate * membersPerRoom,
    deliveriesPerSec: merged.received / (sizes.stepMs / 1000),
    deliveryRatio: expected > 0 ? merged.received / expected : 0,
    latency: summarize(merged.latencies),
    ack: summarize(merged.ackLatencies),
    ackFailed: merged.ackFailed,
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
  const instances = name === 'project' ? 3 : 1;
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
