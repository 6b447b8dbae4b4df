import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './built-app';
import { eventually } from './cluster';

const START_LIMIT_MS = 10_000;

/**
 * A PgBouncer of the test's own (Debian's `pgbouncer`), in transaction mode on 127.0.0.1 and a free
 * port, in front of the Postgres of `target`; its configuration lives in a temporary directory that
 * close() removes. PgBouncer refuses to run as root, so as root it drops to the `postgres` user.
 */
export class TestPgBouncer {
  private constructor(
    private readonly process: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly output: () => string,
  ) {}

  static async start(target: URL, settings: Record<string, string> = {}): Promise<TestPgBouncer> {
    const dir = mkdtempSync(join(tmpdir(), 'chat-pgbouncer-'));
    const port = await freePort();
    const user = decodeURIComponent(target.username || 'postgres');
    const config = {
      listen_addr: '127.0.0.1',
      listen_port: String(port),
      unix_socket_dir: '',
      auth_type: 'trust',
      auth_file: join(dir, 'users.txt'),
      pool_mode: 'transaction',
      default_pool_size: '20',
      max_client_conn: '1000',
      // Reconnects to Postgres a second after a failed attempt (default 15 s).
      server_login_retry: '1',
      ...settings,
    };
    writeFileSync(join(dir, 'users.txt'), `"${user}" ""\n`);
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=${target.hostname} port=${target.port || 5432}`,
        '[pgbouncer]',
        ...Object.entries(config).map(([key, value]) => `${key} = ${value}`),
        '',
      ].join('\n'),
    );
    chmodSync(dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    const child = spawn('pgbouncer', [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const bouncer = new TestPgBouncer(child, dir, port, () => output);
    try {
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`pgbouncer exited:\n${output}`);
          return accepts(port);
        },
        START_LIMIT_MS,
        'pgbouncer to accept connections',
      );
    } catch (error) {
      await bouncer.close();
      throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
    }
    return bouncer;
  }

  /** The same database and user as `direct`, through this PgBouncer. */
  urlFor(direct: string): string {
    const url = new URL(direct);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  get log(): string {
    return this.output();
  }

  async close(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
