import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { TEST_POSTGRES_URL, TEST_REDIS_URL } from '../../../api/test/support/test-env';

const CLI = resolve(__dirname, '../../../dist/loadgen/tools/loadgen/src/cli.js');
const SMOKE_MS = 120_000;

/**
 * `npm run bench -- --smoke`: tiny sizes, every target, so the load generator cannot rot. It checks
 * what the numbers mean (every message delivered, every ack stored once), never how fast.
 */
describe('load generator smoke run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'drives the project and the three baselines, delivering every message and storing every ack once',
    async () => {
      const out = join(dir, 'results.json');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [CLI, '--smoke', '--scenarios', 'latency,rooms,store', '--out', out],
        {
          env: { ...process.env, DATABASE_URL: TEST_POSTGRES_URL, REDIS_URL: TEST_REDIS_URL },
          timeout: SMOKE_MS,
        },
      );
      expect(stdout).toContain('| metric | project | B1 ws | B2 socket.io | B3 socket.io+redis |');

      const results = JSON.parse(readFileSync(out, 'utf8'));
      const latency = results.runs.latency[0] as {
        target: string;
        step: { deliveryRatio: number; latency: { count: number }; payloadBytes: number };
      }[];
      expect(latency.map((r) => r.target)).toEqual([
        'project',
        'B1 ws',
        'B2 socket.io',
        'B3 socket.io+redis',
      ]);
      for (const result of latency) {
        expect({ target: result.target, delivered: result.step.deliveryRatio }).toEqual({
          target: result.target,
          delivered: 1,
        });
        expect(result.step.latency.count).toBeGreaterThan(0);
      }
      // The baselines broadcast a copy of the project's message:new: the same fields, the same bytes
      // (give or take digits of a seq and an instance id).
      const [project, ...baselines] = latency.map((r) => r.step.payloadBytes);
      expect(project).toBeGreaterThan(300);
      for (const bytes of baselines) expect(Math.abs(bytes - project)).toBeLessThanOrEqual(8);
      const [projectRooms] = results.runs.rooms[0] as {
        stored: number;
        step: { ack: { count: number }; ackFailed: number };
      }[];
      expect(projectRooms.step.ackFailed).toBe(0);
      expect(projectRooms.stored).toBe(projectRooms.step.ack.count);
      expect(results.summary.roomsStoredEqualsAcked).toBe(true);

      // Persisted throughput: B4 (pgbench) inserted, and the closed loop stored exactly what it acked.
      const [storeRun] = results.runs.store as {
        b4: { insertsPerSec: number };
        stored: number;
        closed: { ack: { count: number }; ackFailed: number };
        half: { ack: { count: number }; ackFailed: number };
      }[];
      expect(storeRun.b4.insertsPerSec).toBeGreaterThan(0);
      expect(storeRun.closed.ackFailed).toBe(0);
      expect(storeRun.closed.ack.count).toBeGreaterThan(0);
      expect(storeRun.stored).toBe(storeRun.closed.ack.count);
      expect(storeRun.half.ackFailed).toBe(0);
      expect(results.summary.storeStoredEqualsAcked).toBe(true);
    },
    SMOKE_MS,
  );
});
