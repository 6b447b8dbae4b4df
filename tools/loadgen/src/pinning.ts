/**
 * CPU pinning: the systems under test (and the Postgres and Redis they use) on one core, the load
 * generator on another, for every target alike, so a comparison measures the servers and not which
 * of them happened to share a core with the clients. With fewer than two cores, nothing is pinned.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

export type Role = 'servers' | 'loadgen';

let cores: Record<Role, string> | null = null;

export function enablePinning(): boolean {
  const count = cpus().length;
  if (count < 2) return false;
  // The last core for the load generator, every other core for the servers.
  cores = { servers: count === 2 ? '0' : `0-${count - 2}`, loadgen: String(count - 1) };
  return true;
}

export function pinning(): Record<Role, string> | null {
  return cores;
}

/** The command and arguments that start `command args` on the role's cores (through `taskset`). */
export function pinned(role: Role, command: string, args: string[]): [string, string[]] {
  return cores ? ['taskset', ['-c', cores[role], command, ...args]] : [command, args];
}

/** For `fork`: its `execPath` and the `execArgv` before the node flags. */
export function pinnedFork(role: Role): { execPath?: string; prefix: string[] } {
  return cores ? { execPath: 'taskset', prefix: ['-c', cores[role], process.execPath] } : { prefix: [] };
}

/** Pins running processes (every thread) to the role's cores. */
export function pinProcesses(role: Role | 'all', pids: number[]): void {
  const list = role === 'all' ? `0-${cpus().length - 1}` : cores?.[role];
  if (!list) return;
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
    } catch {
      // A process that exited meanwhile, or one this user may not pin: measured unpinned.
    }
  }
}

/** The local Postgres and Redis server processes (their backends fork from these and inherit the pin). */
export function servicePids(): number[] {
  const pids: number[] = [];
  for (const name of ['postgres', 'redis-server']) {
    try {
      pids.push(
        ...execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number),
      );
    } catch {
      // Not running here (remote services): nothing to pin.
    }
  }
  return pids;
}
