import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = resolve(__dirname, '../../../..');
const NPM_TIMEOUT_MS = 240_000;

/**
 * Packs @chat/contracts and @chat/sdk as `npm publish` would (`prepack` builds them) into `dir`, and
 * returns the tarballs' paths.
 */
export async function packPackages(dir: string): Promise<string[]> {
  await run('npm', ['pack', '-w', '@chat/contracts', '-w', '@chat/sdk', '--pack-destination', dir], {
    cwd: REPO_ROOT,
    timeout: NPM_TIMEOUT_MS,
  });
  const tarballs = readdirSync(dir).filter((name) => name.endsWith('.tgz'));
  return tarballs.map((name) => join(dir, name));
}

/**
 * A new Node project in `dir`, outside the repository, with the tarballs installed as a user would
 * install the published packages. socket.io-client comes from npm's cache (or the registry).
 */
export async function createConsumerProject(dir: string, tarballs: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs],
    { cwd: dir, timeout: NPM_TIMEOUT_MS },
  );
}

/** Runs a script of the consumer project to completion; rejects with its output if it fails. */
export async function runNode(
  dir: string,
  script: string,
  env: Record<string, string> = {},
): Promise<string> {
  const { stdout } = await run(process.execPath, [script], {
    cwd: dir,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return stdout;
}

export async function runTypeScript(dir: string): Promise<void> {
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 120_000 });
}

/** A long-running process whose stdout is one JSON object per line, waited on by predicate. */
export class JsonLinesProcess {
  readonly lines: Record<string, unknown>[] = [];
  private output = '';
  private waiters: { predicate: (line: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(dir: string, script: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [script], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk;
      partial += chunk;
      const complete = partial.split('\n');
      partial = complete.pop()!;
      for (const text of complete) this.accept(text);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk));
    this.exited = new Promise((resolveExit) => this.child.once('exit', (code) => resolveExit(code)));
  }

  /** Resolves once a line (already printed or future) matches; fails after `timeoutMs`. */
  waitFor(predicate: (line: Record<string, unknown>) => boolean, label: string, timeoutMs = 15_000) {
    if (this.lines.some(predicate)) return Promise.resolve();
    return new Promise<void>((resolveWait, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Timed out waiting for ${label}; output:\n${this.output}`)),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolveWait();
        },
      });
    });
  }

  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  private accept(text: string): void {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    this.lines.push(line);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(line)) return true;
      waiter.resolve();
      return false;
    });
  }
}
