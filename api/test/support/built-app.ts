import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const MAIN = resolve(__dirname, '../../../dist/api/api/src/main.js');
// Bounded, not a timing assertion: a first embedded-database boot on a loaded 2-core machine takes ~50 s.
const READY_TIMEOUT_MS = 90_000;

export interface BuiltApp {
  url: string;
  metricsUrl: string;
  /** The process id, to tell whether it is still alive. */
  pid: number;
  /** Whether the process has exited (and how). */
  exitCode: () => number | null;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A free port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

/**
 * Runs the production build (`npm run start:prod`) as its own process — for what must be tested
 * outside jest's module sandbox, like the embedded WebAssembly database. `npm test` builds first.
 */
export async function startBuiltApp(env: Record<string, string | undefined>): Promise<BuiltApp> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build:api" (npm test does it)`);
  const [port, metricsPort] = await Promise.all([freePort(), freePort()]);
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    LOGIN_RATE_LIMIT: '1000000',
    REGISTER_RATE_LIMIT: '1000000',
    ...env,
  })) {
    if (value !== undefined) childEnv[key] = value;
  }
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not become ready in time:\n${output}`);
    }
    const ready = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((wait) => setTimeout(wait, 200));
  }

  return {
    url,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    pid: child.pid!,
    exitCode: () => child.exitCode ?? (child.signalCode ? -1 : null),
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
