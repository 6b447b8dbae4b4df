import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

import { pinnedFork } from './pinning';
import { ClientSpec, ConnectReport, FromWorker, StepReport, TargetKind, emptyCounts } from './protocol';

const WORKER = join(__dirname, 'client-worker.js');
/** Well under the 20,000 open files a process may have. */
export const MAX_SOCKETS_PER_WORKER = 15_000;

/** A step's reports from every client process, merged (raw samples concatenated). */
export type MergedStep = Omit<StepReport, 'type' | 'step'>;

/** Client processes sharing one target's sockets; each socket lives in exactly one of them. */
export class WorkerPool {
  private constructor(
    private readonly workers: ChildProcess[],
    private readonly senderCounts: number[],
  ) {}

  static async start(
    kind: TargetKind,
    clients: ClientSpec[],
    senders: number[],
    processes: number,
    connectConcurrency = 50,
  ): Promise<{ pool: WorkerPool; connect: ConnectReport }> {
    const count = Math.max(processes, Math.ceil(clients.length / MAX_SOCKETS_PER_WORKER));
    const senderSet = new Set(senders);
    // Round-robin, so every process holds sockets on every instance and from every source address.
    const shares = Array.from({ length: count }, () => ({
      clients: [] as ClientSpec[],
      senders: [] as number[],
    }));
    clients.forEach((client, i) => {
      const share = shares[i % count];
      if (senderSet.has(i)) share.senders.push(share.clients.length);
      share.clients.push(client);
    });
    const { execPath, prefix } = pinnedFork('loadgen');
    const workers = shares.map(() =>
      fork(WORKER, [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execPath,
        execArgv: [...prefix, '--max-old-space-size=4096'],
      }),
    );
    const pool = new WorkerPool(
      workers,
      shares.map((share) => share.senders.length),
    );
    const reports = await Promise.all(
      workers.map((worker, i) =>
        pool.ask<ConnectReport>(worker, 'connected', {
          type: 'setup',
          setup: { kind, clients: shares[i].clients, senders: shares[i].senders, connectConcurrency },
        }),
      ),
    );
    const connect: ConnectReport = {
      type: 'connected',
      connected: reports.reduce((sum, r) => sum + r.connected, 0),
      failed: reports.reduce((sum, r) => sum + r.failed, 0),
      handshakeMs: reports.flatMap((r) => r.handshakeMs),
      elapsedMs: Math.max(...reports.map((r) => r.elapsedMs)),
      firstError: reports.find((r) => r.firstError)?.firstError,
    };
    return { pool, connect };
  }

  /** Sends `rate` messages/s in total (split by each process's share of senders) for `durationMs`. */
  async step(
    step: number,
    rate: number,
    durationMs: number,
    drainMs: number,
    window?: number,
  ): Promise<MergedStep> {
    const totalSenders = this.senderCounts.reduce((a, b) => a + b, 0);
    const reports = await Promise.all(
      this.workers.map((worker, i) =>
        this.ask<StepReport>(worker, 'stepDone', {
          type: 'step',
          step,
          rate: totalSenders > 0 ? (rate * this.senderCounts[i]) / totalSenders : 0,
          durationMs,
          drainMs,
          window,
        }),
      ),
    );
    const merged: MergedStep = emptyCounts();
    for (const report of reports) {
      merged.sent += report.sent;
      merged.acked += report.acked;
      merged.ackedInTime += report.ackedInTime;
      merged.ackFailed += report.ackFailed;
      merged.received += report.received;
      // The client processes share the load generator's core: their CPU adds up; the step's wall time does not.
      merged.cpuMs += report.cpuMs;
      merged.wallMs = Math.max(merged.wallMs, report.wallMs);
      merged.payloadBytes = Math.max(merged.payloadBytes, report.payloadBytes);
      for (const value of report.latencies) merged.latencies.push(value);
      for (const value of report.ackLatencies) merged.ackLatencies.push(value);
    }
    return merged;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.exitCode !== null) return resolve();
            const timer = setTimeout(() => worker.kill('SIGKILL'), 10_000);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.send({ type: 'stop' });
          }),
      ),
    );
  }

  private ask<T extends FromWorker>(worker: ChildProcess, answer: T['type'], message: object): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onMessage = (reply: FromWorker) => {
        if (reply.type === 'error') {
          cleanup();
          reject(new Error(`client worker: ${reply.message}`));
        } else if (reply.type === answer) {
          cleanup();
          resolve(reply as T);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`client worker exited with ${code}`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.send(message);
    });
  }
}
