import { computed, signal } from '@angular/core';

import { errorText } from './error-text';

/**
 * What a page shows about one user action: whether it runs (and for which item, e.g. the room being
 * joined) and what its last run threw.
 */
export class ActionState<K = true> {
  private readonly runningFor = signal<K | null>(null);
  /** The item of the run in progress, or null. */
  readonly running = this.runningFor.asReadonly();
  readonly busy = computed(() => this.runningFor() !== null);
  /** The error of the last run, kept whole so forms can show field messages. */
  readonly failure = signal<unknown>(null);
  readonly error = computed(() => (this.failure() === null ? null : errorText(this.failure())));

  /** Runs `work`; resolves false if it threw (the error is then in `failure`). */
  async run(work: () => Promise<unknown>, item?: K): Promise<boolean> {
    this.runningFor.set(item ?? (true as K));
    this.failure.set(null);
    try {
      await work();
      return true;
    } catch (error) {
      this.failure.set(error);
      return false;
    } finally {
      this.runningFor.set(null);
    }
  }
}
