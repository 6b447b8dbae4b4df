/**
 * `npm run bench` — the project against bare Socket.IO and ws, side by side, on this machine.
 *   --quick          smaller sizes, one repetition (under 3 minutes)
 *   --smoke          tiny sizes, seconds (run by `npm test` so the tool cannot rot)
 *   --reps N         repetitions (default 3; the median is reported)
 *   --out FILE       JSON results (default dist/bench/results.json); the chart goes beside it (.svg)
 *   --scenarios a,b  any of fanout,latency,rooms,store,connections (default: all)
 *   --latency-rate N messages/s of the fixed-load scenario (default 100: 100k deliveries/s)
 *   --no-pin         do not pin (by default the servers, Postgres and Redis run on one core and the
 *                    load generator on the other, through taskset)
 *   --connections N  sockets of the connections scenario (default 50,000; quick 3,000)
 *   --targets a,b    only these targets: project,ws,sio,sio-redis,sio-jwt (default: all), e.g. to
 *                    profile one
 * BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=dist/prof" profiles the project's instances.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { latencyChart } from './chart';
import { enablePinning, pinProcesses, pinning, servicePids } from './pinning';
import {
  ConnectionsResult,
  FULL,
  FanoutResult,
  LatencyResult,
  QUICK,
  RoomsResult,
  SMOKE,
  StepResult,
  StoreResult,
  connections,
  fanout,
  fixedLatency,
  manyRooms,
  store,
} from './scenarios';
import { median } from './stats';
import { TargetName } from './targets';

const ALL_TARGETS: TargetName[] = [
  'project',
  'B1 ws',
  'B2 socket.io',
  'B3 socket.io+redis',
  'B2j socket.io+jwt',
];
/** The targets of the message scenarios (B2j only differs from B2 in its handshake). */
const MESSAGE_TARGETS = ALL_TARGETS.filter((target) => target !== 'B2j socket.io+jwt');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    reps: { type: 'string' },
    out: { type: 'string', default: 'dist/bench/results.json' },
    scenarios: { type: 'string', default: 'fanout,latency,rooms,store,connections' },
    'no-pin': { type: 'boolean', default: false },
    connections: { type: 'string' },
    'latency-rate': { type: 'string' },
    targets: { type: 'string', default: 'project,ws,sio,sio-redis,sio-jwt' },
  },
});

const TARGET_NAMES: Record<string, TargetName> = {
  project: 'project',
  ws: 'B1 ws',
  sio: 'B2 socket.io',
  'sio-redis': 'B3 socket.io+redis',
  'sio-jwt': 'B2j socket.io+jwt',
};
const selected = new Set(values.targets.split(',').map((key) => TARGET_NAMES[key]));
const only = (targets: TargetName[]) => targets.filter((target) => selected.has(target));

const preset = values.smoke ? SMOKE : values.quick ? QUICK : FULL;
const sizes = {
  ...preset,
  ...(values.connections ? { connections: Number(values.connections) } : {}),
  ...(values['latency-rate'] ? { latencyRate: Number(values['latency-rate']) } : {}),
};
const reps = Number(values.reps ?? (values.quick || values.smoke ? 1 : 3));
const scenarios = new Set(values.scenarios.split(','));
const out = resolve(values.out);

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const log = (line: string) => process.stdout.write(`${line}\n`);
/** One step in a line: what was offered, what came back, and whether the load generator kept up. */
const stepLine = (step: StepResult) =>
  `${fmt(step.offeredDeliveriesPerSec, 0)} deliveries/s offered: p50 ${fmt(step.latency.p50)} p99 ${fmt(step.latency.p99)} ms, delivered ${fmt(step.deliveryRatio * 100, 2)}%, loadgen CPU ${fmt(step.loadgenCpu * 100, 0)}%${step.invalid ? ' (INVALID: load generator over 85% of its core)' : ''}, ${step.payloadBytes} B/event`;

async function main(): Promise<void> {
  const started = Date.now();
  // Not in the smoke: it runs inside `npm test`, beside suites that need Postgres on every core.
  const pinned = !values['no-pin'] && !values.smoke && enablePinning();
  const services = pinned ? servicePids() : [];
  if (pinned) {
    pinProcesses('loadgen', [process.pid]);
    pinProcesses('servers', services);
    // Interrupted (Ctrl-C), the run must not leave this machine's Postgres and Redis on one core.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        pinProcesses('all', services);
        process.exit(130);
      });
    }
    log(
      `pinned: servers, Postgres and Redis on CPU ${pinning()!.servers}; load generator on CPU ${pinning()!.loadgen}`,
    );
  }
  try {
    await measure(started, pinned);
  } finally {
    if (pinned) pinProcesses('all', services);
  }
}

async function measure(started: number, pinned: boolean): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  log(
    `bench: ${values.smoke ? 'smoke' : values.quick ? 'quick' : 'full'}, ${reps} repetition(s), ${machine}`,
  );
  const results: {
    fanout: FanoutResult[][];
    latency: LatencyResult[][];
    rooms: RoomsResult[][];
    store: StoreResult[];
    connections: ConnectionsResult[][];
  } = { fanout: [], latency: [], rooms: [], store: [], connections: [] };

  for (let rep = 0; rep < reps; rep++) {
    if (scenarios.has('fanout')) {
      const row: FanoutResult[] = [];
      for (const target of only(MESSAGE_TARGETS)) {
        const result = await fanout(target, sizes);
        for (const step of result.steps) log(`fanout   ${target.padEnd(20)} ${stepLine(step)}`);
        log(`fanout   ${target.padEnd(20)} knee ${fmt(result.kneeDeliveriesPerSec, 0)} deliveries/s`);
        row.push(result);
      }
      results.fanout.push(row);
    }
    if (scenarios.has('latency')) {
      const row: LatencyResult[] = [];
      for (const target of only(MESSAGE_TARGETS)) {
        const result = await fixedLatency(target, sizes);
        log(`latency  ${target.padEnd(20)} ${stepLine(result.step)}`);
        row.push(result);
      }
      results.latency.push(row);
    }
    if (scenarios.has('rooms')) {
      const row: RoomsResult[] = [];
      for (const target of only(['project', 'B3 socket.io+redis'])) {
        const result = await manyRooms(target, sizes);
        log(
          `rooms    ${target.padEnd(20)} ${fmt(result.committedPerSec, 0)} acked msg/s, ack p99 ${fmt(result.step.ack.p99)} ms, stored ${result.stored ?? '–'}`,
        );
        row.push(result);
      }
      results.rooms.push(row);
    }
    if (scenarios.has('store') && selected.has('project')) {
      const result = await store(sizes);
      log(
        `store    B4 postgres (pgbench)    ${fmt(result.b4.insertsPerSec, 0)} inserts/s with ${result.b4.clients} clients, pgbench CPU ${fmt(result.b4.loadgenCpu * 100, 0)}%`,
      );
      log(
        `store    project              ${fmt(result.closed.ackedPerSec, 0)} stored+acked msg/s (closed loop), ack p99 ${fmt(result.closed.ack.p99)} ms, stored ${result.stored ?? '–'} of ${result.closed.ack.count} acked, ${fmt(result.meanBatchSize)} msgs/batch, loadgen CPU ${fmt(result.closed.loadgenCpu * 100, 0)}%${result.closed.invalid ? ' (INVALID)' : ''}`,
      );
      log(
        `store    project              at ${fmt(result.half.offeredMsgPerSec, 0)} msg/s (half): ack p50 ${fmt(result.half.ack.p50)} p99 ${fmt(result.half.ack.p99)} ms, loadgen CPU ${fmt(result.half.loadgenCpu * 100, 0)}%`,
      );
      results.store.push(result);
    }
    if (scenarios.has('connections')) {
      const row: ConnectionsResult[] = [];
      for (const target of only(['project', 'B2 socket.io', 'B2j socket.io+jwt'])) {
        const result = await connections(target, sizes);
        log(
          `conns    ${target.padEnd(20)} ${result.connected}/${sizes.connections} at ${fmt(result.connectPerSec, 0)}/s, handshake p99 ${fmt(result.handshake.p99)} ms, ${fmt(result.rssPerConnectionKiB)} KiB/conn`,
        );
        row.push(result);
      }
      results.connections.push(row);
    }
    // Saved after every repetition: a long run cut short still leaves its finished repetitions.
    save(results, machine, started, pinned);
  }

  const summary = summarizeRuns(results);
  printTables(summary);
  save(results, machine, started, pinned);

  const chartPath = out.replace(/\.json$/, '') + '.svg';
  if (results.fanout.length > 0) {
    const lastRun = results.fanout[Math.floor(results.fanout.length / 2)];
    writeFileSync(
      chartPath,
      latencyChart(
        lastRun.map((r) => ({
          name: r.target,
          points: r.steps.map((s) => [s.offeredDeliveriesPerSec, s.latency.p99] as [number, number]),
        })),
        `Fan-out: ${sizes.fanoutSockets} sockets in one room`,
      ),
    );
  }
  log(
    `\nJSON: ${out}${results.fanout.length > 0 ? `\nchart: ${chartPath}` : ''}\ntook ${fmt((Date.now() - started) / 1000, 0)} s`,
  );
}

type Summary = ReturnType<typeof summarizeRuns>;
type Runs = Parameters<typeof summarizeRuns>[0];

function save(results: Runs, machine: string, started: number, pinned: boolean): void {
  mkdirSync(dirname(out), { recursive: true });
  const document = {
    machine,
    pinning: pinned ? pinning() : null,
    sizes,
    reps,
    completedReps: Math.max(
      results.fanout.length,
      results.latency.length,
      results.rooms.length,
      results.store.length,
      results.connections.length,
    ),
    startedAt: new Date(started).toISOString(),
    durationS: (Date.now() - started) / 1000,
    summary: summarizeRuns(results),
    runs: results,
  };
  writeFileSync(out, JSON.stringify(document, null, 2));
}

/** The median over repetitions, per target. */
function summarizeRuns(results: {
  fanout: FanoutResult[][];
  latency: LatencyResult[][];
  rooms: RoomsResult[][];
  store: StoreResult[];
  connections: ConnectionsResult[][];
}) {
  const storeMedian = (value: (r: StoreResult) => number) =>
    results.store.length > 0 ? median(results.store.map(value)) : Number.NaN;
  const per = <R extends { target: TargetName }>(runs: R[][], value: (r: R) => number) => {
    const targets = [...new Set(runs.flat().map((r) => r.target))];
    return Object.fromEntries(
      targets.map((t) => [
        t,
        median(
          runs
            .map((run) => run.find((r) => r.target === t))
            .filter(Boolean)
            .map((r) => value(r!)),
        ),
      ]),
    );
  };
  return {
    fanoutKnee: per(results.fanout, (r) => r.kneeDeliveriesPerSec),
    fanoutLagP99Ms: per(results.fanout, (r) => Math.max(...r.steps.flatMap((s) => s.lagP99Ms))),
    latencyP50: per(results.latency, (r) => r.step.latency.p50),
    latencyP99: per(results.latency, (r) => r.step.latency.p99),
    latencyDelivered: per(results.latency, (r) => r.step.deliveryRatio),
    latencyLagP99Ms: per(results.latency, (r) => Math.max(...r.step.lagP99Ms)),
    roomsCommittedPerSec: per(results.rooms, (r) => r.committedPerSec),
    roomsAckP99: per(results.rooms, (r) => r.step.ack.p99),
    roomsDeliveryP99: per(results.rooms, (r) => r.step.latency.p99),
    roomsLagP99Ms: per(results.rooms, (r) => Math.max(...r.step.lagP99Ms)),
    roomsStoredEqualsAcked: results.rooms
      .flat()
      .filter((r) => r.stored !== null)
      .every((r) => r.stored === r.step.ack.count),
    b4InsertsPerSec: storeMedian((r) => r.b4.insertsPerSec),
    storeAckedPerSec: storeMedian((r) => r.closed.ackedPerSec),
    storeHalfAckP99: storeMedian((r) => r.half.ack.p99),
    storeStoredEqualsAcked: results.store.every((r) => r.stored === null || r.stored === r.closed.ack.count),
    invalidSteps: [
      ...results.fanout.flat().flatMap((r) => r.steps),
      ...results.latency.flat().map((r) => r.step),
      ...results.rooms.flat().map((r) => r.step),
      ...results.store.flatMap((r) => [r.closed, r.half]),
    ].filter((step) => step.invalid).length,
    connectionsConnected: per(results.connections, (r) => r.connected),
    connectionsPerSec: per(results.connections, (r) => r.connectPerSec),
    handshakeP99: per(results.connections, (r) => r.handshake.p99),
    rssPerConnectionKiB: per(results.connections, (r) => r.rssPerConnectionKiB),
  };
}

function printTables(summary: Summary): void {
  const rows: [string, Record<string, number>, (n: number) => string][] = [
    ['fan-out knee, deliveries/s', summary.fanoutKnee, (n) => fmt(n, 0)],
    ['fan-out: worst event-loop lag p99, ms', summary.fanoutLagP99Ms, (n) => fmt(n)],
    ['fixed load: delivery p50, ms', summary.latencyP50, (n) => fmt(n)],
    ['fixed load: delivery p99, ms', summary.latencyP99, (n) => fmt(n)],
    ['fixed load: delivered', summary.latencyDelivered, (n) => `${fmt(n * 100, 2)}%`],
    ['fixed load: event-loop lag p99, ms', summary.latencyLagP99Ms, (n) => fmt(n)],
    ['many rooms: acked msg/s', summary.roomsCommittedPerSec, (n) => fmt(n, 0)],
    ['many rooms: ack p99, ms', summary.roomsAckP99, (n) => fmt(n)],
    ['many rooms: delivery p99, ms', summary.roomsDeliveryP99, (n) => fmt(n)],
    ['many rooms: event-loop lag p99, ms', summary.roomsLagP99Ms, (n) => fmt(n)],
    ['connections: connected', summary.connectionsConnected, (n) => fmt(n, 0)],
    ['connections: per second', summary.connectionsPerSec, (n) => fmt(n, 0)],
    ['connections: handshake p99, ms', summary.handshakeP99, (n) => fmt(n)],
    ['connections: RSS per connection, KiB', summary.rssPerConnectionKiB, (n) => fmt(n)],
  ];
  log('');
  log(`| metric | ${ALL_TARGETS.join(' | ')} |`);
  log(`| --- | ${ALL_TARGETS.map(() => '---').join(' | ')} |`);
  for (const [label, values, format] of rows) {
    if (Object.keys(values).length === 0) continue;
    log(`| ${label} | ${ALL_TARGETS.map((t) => (t in values ? format(values[t]) : '')).join(' | ')} |`);
  }
  if (Number.isFinite(summary.b4InsertsPerSec)) {
    log('');
    log(
      `| persisted throughput | B4 pgbench ${fmt(summary.b4InsertsPerSec, 0)} inserts/s | project ${fmt(summary.storeAckedPerSec, 0)} stored+acked msg/s (${fmt(summary.storeAckedPerSec / summary.b4InsertsPerSec, 2)}×) | ack p99 at half that rate ${fmt(summary.storeHalfAckP99)} ms |`,
    );
  }
  if (!summary.roomsStoredEqualsAcked || !summary.storeStoredEqualsAcked)
    log('\nWARNING: stored messages differ from acked messages');
  if (summary.invalidSteps > 0)
    log(`\nWARNING: ${summary.invalidSteps} step(s) invalid: the load generator used over 85% of its core`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
