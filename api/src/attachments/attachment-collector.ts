import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AllConfig } from '../config/config.type';
import { AttachmentsRepository } from './attachments.repository';
import { BlobStorage } from './storage/blob-storage';

const BATCH = 500;
/** Bounds one run; what is left waits for the next. */
const MAX_BATCHES = 20;

/**
 * Deletes bytes nobody may read any more: uploads never sent within ATTACHMENT_GC_GRACE, and every
 * key the `attachment_deletions` queue holds (deleted messages, rooms, failed uploads). One instance
 * at a time, by a lease row in Postgres (works with and without Redis, and under PGlite); if it dies
 * the next takes over when the lease runs out. Deleting a key twice is harmless, so the queue is
 * emptied only after the store confirmed.
 */
@Injectable()
export class AttachmentCollector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AttachmentCollector.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly storage: BlobStorage,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.get('attachments.gcIntervalSeconds', { infer: true }) * 1000;
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Queued first, so a failure of the store leaves the keys for the collector rather than forgotten. */
  async deleteNow(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.repository.queueDeletions(keys);
    try {
      await this.storage.delete(keys);
      await this.repository.deletionsDone(keys);
    } catch (error) {
      this.logger.warn(
        `Deleting ${keys.length} attachment file(s) failed, left to the collector: ${String(error)}`,
      );
    }
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const instanceId = this.config.get('app.instanceId', { infer: true });
    const lease = this.config.get('attachments.gcIntervalSeconds', { infer: true }) * 2;
    this.running = (async () => {
      if (await this.repository.takeCollectorLease(instanceId, lease)) await this.collect();
    })()
      .catch((error: unknown) => this.logger.warn(`Attachment collection failed: ${String(error)}`))
      .finally(() => (this.running = null));
    await this.running;
  }

  /** One run: expire unsent uploads, then delete queued keys from the store. */
  async collect(): Promise<{ expired: number; deleted: number }> {
    const grace = this.config.get('attachments.gcGraceSeconds', { infer: true });
    let expired = 0;
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const count = await this.repository.expireUnsent(grace, BATCH);
      expired += count;
      if (count < BATCH) break;
    }
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const keys = await this.repository.queuedDeletions(BATCH);
      if (keys.length === 0) break;
      await this.storage.delete(keys);
      await this.repository.deletionsDone(keys);
      deleted += keys.length;
      if (keys.length < BATCH) break;
    }
    return { expired, deleted };
  }
}
