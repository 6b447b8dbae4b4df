import Redis from 'ioredis';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort } from './built-app';
import { eventually } from './cluster';

const run = promisify(execFile);
const START_LIMIT_MS = 10_000;
/**
 * Node timeout of the test cluster: a master silent this long is failed over (production: 15 s by
 * default). Failure reports stay valid for twice this; at 1 s, gossip on a loaded 2-core machine
 * sometimes never gathered the two masters' reports in time and no replica was promoted.
 */
export const CLUSTER_NODE_TIMEOUT_MS = 3_000;

export interface ClusterNode {
  id: string;
  port: number;
  role: 'master' | 'replica';
  /** The master a replica copies; null for a master. */
  masterId: string | null;
  failed: boolean;
  slots: [number, number][];
}

/**
 * A real Redis Cluster of `redis-server --cluster-enabled yes` processes on 127.0.0.1 and free ports
 * (3 masters with one replica each), made by `redis-cli --cluster create` in a temporary directory
 * and removed by close(). Each node's cluster bus takes a free port of its own (`cluster-port`).
 */
export class TestRedisCluster {
  private readonly processes = new Map<number, ChildProcess>();

  private constructor(
    private readonly dir: string,
    readonly ports: number[],
  ) {}

  static async start(nodes = 6): Promise<TestRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'chat-redis-cluster-'));
    const ports = await distinctFreePorts(nodes * 2);
    const cluster = new TestRedisCluster(dir, ports.slice(0, nodes));
    try {
      await Promise.all(cluster.ports.map((port, i) => cluster.startNode(port, ports[nodes + i])));
      await run(
        'redis-cli',
        [
          '--cluster',
          'create',
          ...cluster.ports.map((port) => `127.0.0.1:${port}`),
          '--cluster-replicas',
          '1',
          '--cluster-yes',
        ],
        { timeout: START_LIMIT_MS },
      );
      await eventually(() => cluster.isHealthy(), 20_000, 'the Redis Cluster to be ok on every node');
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** `host:port,…` for REDIS_CLUSTER_NODES: two seeds are enough, the client learns the rest. */
  get seeds(): string {
    return this.ports
      .slice(0, 2)
      .map((port) => `127.0.0.1:${port}`)
      .join(',');
  }

  /** The cluster as one live node sees it (CLUSTER NODES). */
  async nodes(): Promise<ClusterNode[]> {
    for (const port of this.livePorts()) {
      const text = await this.command(port, 'CLUSTER', 'NODES').catch(() => null);
      if (typeof text === 'string') return parseClusterNodes(text);
    }
    throw new Error('no node of the Redis Cluster answers');
  }

  async masterOfSlot(slot: number): Promise<ClusterNode> {
    const master = (await this.nodes()).find(
      (node) => node.role === 'master' && !node.failed && node.slots.some(([a, b]) => slot >= a && slot <= b),
    );
    if (!master) throw new Error(`no master serves slot ${slot}`);
    return master;
  }

  async slotOf(key: string): Promise<number> {
    return Number(await this.command(this.livePorts()[0], 'CLUSTER', 'KEYSLOT', key));
  }

  /** Sends a command to one node (not through the cluster client: no redirections). */
  async command(port: number, ...args: string[]): Promise<unknown> {
    const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return await redis.call(args[0], ...args.slice(1));
    } finally {
      redis.disconnect();
    }
  }

  /** Every live node says cluster_state:ok and no master has failed without a replacement. */
  async isHealthy(): Promise<boolean> {
    for (const port of this.livePorts()) {
      const info = String(await this.command(port, 'CLUSTER', 'INFO'));
      if (!info.includes('cluster_state:ok')) return false;
    }
    const nodes = await this.nodes();
    const served = nodes
      .filter((node) => node.role === 'master' && !node.failed)
      .flatMap((node) => node.slots)
      .reduce((sum, [a, b]) => sum + b - a + 1, 0);
    return served === 16_384;
  }

  /** SIGKILL, as a crash or an OOM kill would. */
  async kill(port: number): Promise<void> {
    const child = this.processes.get(port);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.processes.delete(port);
  }

  async close(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((port) => this.kill(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private livePorts(): number[] {
    return this.ports.filter((port) => this.processes.has(port));
  }

  private async startNode(port: number, busPort: number): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(busPort),
        '--cluster-config-file',
        join(this.dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        String(CLUSTER_NODE_TIMEOUT_MS),
        // A replica that lost touch with its master for a moment on a loaded machine would otherwise
        // count its data as too old and never stand for election: availability over freshness here.
        '--cluster-replica-validity-factor',
        '0',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.processes.set(port, child);
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start:\n${output}`)),
        START_LIMIT_MS,
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          child.stdout!.resume();
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`redis-server exited:\n${output}`)));
    });
  }
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`, one node a line. */
function parseClusterNodes(text: string): ClusterNode[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, address, flags, master, , , , , ...slots] = line.trim().split(' ');
      const flagSet = new Set(flags.split(','));
      return {
        id,
        port: Number(address.split('@')[0].split(':').pop()),
        role: flagSet.has('master') ? 'master' : 'replica',
        masterId: master === '-' ? null : master,
        failed: flagSet.has('fail') || flagSet.has('fail?'),
        slots: slots
          .filter((slot) => !slot.startsWith('['))
          .map((slot) => {
            const [a, b] = slot.split('-').map(Number);
            return [a, b ?? a] as [number, number];
          }),
      };
    });
}
