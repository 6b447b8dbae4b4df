/**
 * B4: Postgres itself. `pgbench` inserts one ~100-byte row with a unique key per transaction, with as
 * many clients as the project's group commit keeps transactions in flight, on a fresh database of the
 * same server the project uses: the most single-row durable inserts this Postgres makes per second.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

import { pinned } from './pinning';
import { scratchDatabase } from './targets';

const run = promisify(execFile);

/** The script of one transaction: a ~100-byte body (as the bench's) under a unique key. */
const SCRIPT = `INSERT INTO b4_messages (client_key, body) VALUES (gen_random_uuid(), repeat('x', 100));\n`;

export interface PgbenchResult {
  clients: number;
  durationS: number;
  insertsPerSec: number;
  latencyAvgMs: number;
  /** The load generator's (pgbench's) CPU over the run, as a fraction of one core. */
  loadgenCpu: number;
}

export async function pgbenchInserts(clients: number, durationS: number): Promise<PgbenchResult> {
  const { url, drop } = await scratchDatabase(`bench_b4_${Date.now()}_${process.pid}`);
  const dir = mkdtempSync(join(tmpdir(), 'b4-'));
  try {
    const db = new Client({ connectionString: url });
    await db.connect();
    await db.query(
      `CREATE TABLE b4_messages (id bigserial PRIMARY KEY, client_key uuid NOT NULL UNIQUE, body text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now())`,
    );
    await db.end();
    const script = join(dir, 'insert.sql');
    writeFileSync(script, SCRIPT);
    const [command, args] = pinned('loadgen', 'pgbench', [
      '--no-vacuum',
      `--client=${clients}`,
      '--jobs=1',
      `--time=${durationS}`,
      `--file=${script}`,
      url,
    ]);
    // bash's `times` prints its children's user and system CPU: pgbench's own, for the validity rule.
    const { stdout } = await run('bash', ['-c', '"$@"; times', 'pgbench', command, ...args], {
      maxBuffer: 1 << 20,
    });
    const tps = /tps = ([\d.]+)/.exec(stdout);
    const latency = /latency average = ([\d.]+) ms/.exec(stdout);
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    // Its last line: the children's user and system time, as `0m1.234s 0m0.567s`.
    const children = stdout.trim().split('\n').at(-1) ?? '';
    const times = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    const childCpuS = times.length === 2 ? times[0] + times[1] : Number.NaN;
    return {
      clients,
      durationS,
      insertsPerSec: Number(tps[1]),
      latencyAvgMs: latency ? Number(latency[1]) : Number.NaN,
      loadgenCpu: childCpuS / durationS,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await drop();
  }
}
