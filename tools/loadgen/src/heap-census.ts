/**
 * What one server process keeps per idle authenticated connection, object by object: a heap
 * snapshot after a warm-up of `--warmup` connections and another after `--connections` more, the
 * difference per kind of object divided by the connections added. Counts and sizes come from the
 * snapshots, so a loaded machine changes nothing but how long it takes.
 *
 *   npm run build:api && npm run build:bench
 *   node dist/loadgen/tools/loadgen/src/heap-census.js [--target project|sio] [--connections 10000]
 *        [--warmup 500] [--out docs/bench/heap-census-project.json]
 *
 * The project runs as one built instance (default adapter, Redis and Postgres as for the tests);
 * `sio` is the bare Socket.IO baseline (B2). Clients connect and join a room of 100, as in the
 * benchmark's connections scenario.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import type { Target } from './targets';
import type { WorkerPool } from './workers';

interface Census {
  /** Bytes (shallow sizes summed) and object counts per kind of heap object. */
  kinds: Map<string, { count: number; bytes: number }>;
  totalBytes: number;
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names a heap node for the census: constructor for objects, function for closures, content class for strings. */
function kindOf(type: string, name: string): string {
  switch (type) {
    case 'object':
    case 'native':
      return name;
    case 'closure':
      return `closure ${name || '(anonymous)'}`;
    case 'string':
    case 'concatenated string':
    case 'sliced string':
      if (name.startsWith('eyJ')) return 'string: a JWT';
      if (UUID.test(name)) return 'string: a UUID';
      if (/^[A-Za-z0-9_-]{20}$/.test(name)) return 'string: a Socket.IO id (20 chars)';
      return `${type}`;
    case 'array':
      return `array ${name}`;
    case 'hidden':
    case 'object shape':
    case 'code':
      return `(${type}) ${name.split(' ')[0]}`;
    default:
      return `(${type})`;
  }
}

function census(file: string): Census {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const kinds = new Map<string, { count: number; bytes: number }>();
  let totalBytes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const kind = kindOf(types[snapshot.nodes[i + typeAt]], snapshot.strings[snapshot.nodes[i + nameAt]]);
    const size = snapshot.nodes[i + sizeAt];
    const entry = kinds.get(kind) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += size;
    kinds.set(kind, entry);
    totalBytes += size;
  }
  return { kinds, totalBytes };
}

/** Signals the process to write a heap snapshot (--heapsnapshot-signal) and returns the file once written. */
async function snapshotOf(target: Target, pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 300_000;
  for (;;) {
    const file = readdirSync(dir).find((name) => name.endsWith('.heapsnapshot') && !before.has(name));
    // The snapshot is written on the process's main thread: once it answers again, the file is complete.
    if (
      file &&
      (await target.lagP99().then(
        () => true,
        () => false,
      ))
    )
      return join(dir, file);
    if (Date.now() > deadline) throw new Error('No heap snapshot within 5 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Committed transactions in the project's database (the load generator names it after its own pid),
 * read once the statistics have been flushed: one per query outside a transaction.
 */
async function databaseTransactions(target: Target, databaseUrl: string): Promise<number | null> {
  if (target.kind !== 'project') return null;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // A backend flushes its counts when idle, at most every 10 s (PGSTAT_IDLE_INTERVAL).
    await new Promise((r) => setTimeout(r, 11_000));
    const { rows } = await db.query<{ n: string }>(
      `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname LIKE $1`,
      [`bench\\_%\\_${process.pid}`],
    );
    return rows.length === 1 ? Number(rows[0].n) : null;
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const targetName = option('target', 'project');
  const added = Number(option('connections', '10000'));
  const warmup = Number(option('warmup', '500'));
  const out = option('out', `dist/bench/heap-census-${targetName}.json`);
  const dir = mkdtempSync(join(tmpdir(), 'heap-census-'));
  const flag = [`--heapsnapshot-signal=SIGUSR2`, `--diagnostic-dir=${dir}`];
  // Read by the targets module when it loads (the project's instances) and by fork (the baseline).
  process.env.BENCH_API_NODE_ARGS = [process.env.BENCH_API_NODE_ARGS ?? '', ...flag].join(' ').trim();
  process.execArgv.push(...flag);
  // Required only now, after the flags are set: the targets module reads BENCH_API_NODE_ARGS as it loads.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DATABASE_URL, startBaseline, startProject } = require('./targets') as typeof import('./targets');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { WorkerPool: Pool } = require('./workers') as typeof import('./workers');

  const target = targetName === 'sio' ? await startBaseline('B2 socket.io') : await startProject(1);
  const pools: WorkerPool[] = [];
  try {
    const clients = await target.prepareClients(warmup + added, 100);
    /** Connects these clients; a few may time out on a loaded machine, and the census divides by those that did not. */
    const connectAll = async (share: typeof clients): Promise<number> => {
      const processes = Math.ceil(share.length / 12_500);
      const { pool, connect } = await Pool.start(target.kind, share, [], processes, 100);
      pools.push(pool);
      if (connect.connected < share.length * 0.95) {
        throw new Error(`${connect.connected} of ${share.length} connected (${connect.failed} failed)`);
      }
      return connect.connected;
    };
    await connectAll(clients.slice(0, warmup));
    const [pid] = target.pids;
    const first = census(await snapshotOf(target, pid, dir));
    const transactionsBefore = await databaseTransactions(target, DATABASE_URL);
    const connected = await connectAll(clients.slice(warmup));
    const transactions = await databaseTransactions(target, DATABASE_URL).then((after) =>
      after === null || transactionsBefore === null ? null : after - transactionsBefore,
    );
    const second = census(await snapshotOf(target, pid, dir));

    const perSocket = [...second.kinds.entries()]
      .map(([kind, now]) => {
        const then = first.kinds.get(kind) ?? { count: 0, bytes: 0 };
        return {
          kind,
          countPerSocket: (now.count - then.count) / connected,
          bytesPerSocket: (now.bytes - then.bytes) / connected,
        };
      })
      .filter((row) => Math.abs(row.bytesPerSocket) >= 1)
      .sort((a, b) => b.bytesPerSocket - a.bytesPerSocket);
    const result = {
      target: targetName,
      connectionsAdded: connected,
      warmup,
      heapBytesPerSocket: (second.totalBytes - first.totalBytes) / connected,
      /** Postgres transactions in the instance's database while they connected, per connection. */
      databaseTransactionsPerConnection: transactions === null ? null : transactions / connected,
      perSocket,
    };
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `${targetName}: ${(result.heapBytesPerSocket / 1024).toFixed(2)} KiB of JS heap per connection`,
    );
    for (const row of perSocket.slice(0, 40)) {
      console.log(
        `${row.bytesPerSocket.toFixed(0).padStart(7)} B  ${row.countPerSocket.toFixed(2).padStart(6)} ×  ${row.kind}`,
      );
    }
    console.log(`written to ${out}`);
  } finally {
    await Promise.all(pools.map((pool) => pool.stop()));
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
