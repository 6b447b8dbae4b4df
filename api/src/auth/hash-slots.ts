import { ErrorCode } from '@chat/contracts';

import { AppError } from '../common/app-error';

/**
 * A cap on password hashes computed at once by this instance, with a bounded queue behind it.
 * argon2id takes 19 MiB and tens of milliseconds of a libuv thread per hash; unbounded, a burst of
 * logins or sign-ups from many addresses would queue without limit in libuv's pool (which DNS and
 * file I/O share) and every login would wait behind all of them. Past the queue the request is
 * refused at once with UNAVAILABLE (503, Retry-After) instead of waiting. Written here rather than
 * taken from p-limit/p-queue: those have no bounded queue that refuses, and are ESM-only.
 */
export class HashSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Hashes running and waiting now (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLimit) {
      return Promise.reject(
        new AppError(ErrorCode.UNAVAILABLE, 'Too many sign-ins at once, try again shortly', undefined, 1),
      );
    }
    // The slot is handed over by release(): `running` stays counted for the waiter.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
