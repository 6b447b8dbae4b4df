import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { Subject } from 'rxjs';

import { Attachment, Message } from '@chat/contracts';
import { ChatError, isTransient, randomUuid } from '@chat/sdk';

import { AuthStore } from '../auth/auth-store';
import { ChatConnection } from '../realtime/chat-connection';
import { BROWSER_STORAGE, readJson, writeJson } from '../shared/browser-storage';
import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';

/** `queued`: waits for a connection; `sending`: emitted, no ack yet; `failed`: needs the user. */
export type OutboxStatus = 'queued' | 'sending' | 'failed';

/** A file going with a message: uploading until `attachment` is set. */
export interface OutboxUpload {
  localId: string;
  name: string;
  size: number;
  /** 0–1. */
  progress: number;
  attachment?: Attachment;
}

export interface OutboxEntry {
  clientMsgId: string;
  roomId: string;
  body: string;
  /** A reply in this thread; absent for a top-level message. */
  threadRootId?: string;
  status: OutboxStatus;
  queuedAt: string;
  error?: string;
  uploads?: OutboxUpload[];
}

export const uploadsDone = (entry: OutboxEntry): boolean =>
  (entry.uploads ?? []).every((upload) => upload.attachment !== undefined);

const STORAGE_PREFIX = 'chat.outbox.';

/**
 * Messages the user wrote that the server has not acknowledged yet. They survive disconnects and
 * reloads (kept in local storage per user) and go out in order when the connection is back. Each
 * keeps its clientMsgId for life, so however often it is resent the server stores it once.
 * A message with files waits until they are uploaded (later ones wait behind it, keeping the order);
 * the files themselves live only in this page, so an upload cut off by a reload fails the message.
 */
@Injectable({ providedIn: 'root' })
export class Outbox {
  private readonly auth = inject(AuthStore);
  private readonly connection = inject(ChatConnection);
  private readonly storage = inject(BROWSER_STORAGE);
  private readonly api = inject(ChatApi);
  private readonly files = new Map<string, File>();
  private flushing = false;
  private flushAgain = false;
  private storageKey: string | null = null;

  private readonly list = signal<OutboxEntry[]>([]);
  readonly entries = this.list.asReadonly();
  readonly size = computed(() => this.list().length);
  /** The stored message of each acknowledged entry, as the ack carried it. */
  readonly delivered = new Subject<Message>();

  constructor() {
    effect(() => {
      const userId = this.auth.user()?.id ?? null;
      untracked(() => this.restore(userId));
    });
    effect(() => {
      if (this.connection.online()) untracked(() => void this.flush());
    });
    inject(DestroyRef).onDestroy(() => this.delivered.complete());
  }

  /**
   * Queues a message (uploading its files first) and sends it as soon as possible; it shows as
   * pending meanwhile. With `threadRootId`, a reply in that thread.
   */
  enqueue(roomId: string, body: string, files: readonly File[] = [], threadRootId?: string): OutboxEntry {
    const uploads = files.map((file) => {
      const upload: OutboxUpload = { localId: randomUuid(), name: file.name, size: file.size, progress: 0 };
      this.files.set(upload.localId, file);
      return upload;
    });
    const entry: OutboxEntry = {
      clientMsgId: randomUuid(),
      roomId,
      body,
      ...(threadRootId && { threadRootId }),
      status: 'queued',
      queuedAt: new Date().toISOString(),
      ...(uploads.length > 0 && { uploads }),
    };
    this.update((entries) => [...entries, entry]);
    this.startUploads(entry);
    void this.flush();
    return entry;
  }

  retry(clientMsgId: string): void {
    this.patch(clientMsgId, { status: 'queued', error: undefined });
    const entry = this.list().find((e) => e.clientMsgId === clientMsgId);
    if (entry) this.startUploads(entry);
    void this.flush();
  }

  discard(clientMsgId: string): void {
    const entry = this.list().find((e) => e.clientMsgId === clientMsgId);
    entry?.uploads?.forEach((upload) => this.files.delete(upload.localId));
    this.update((entries) => entries.filter((e) => e.clientMsgId !== clientMsgId));
  }

  private startUploads(entry: OutboxEntry): void {
    for (const upload of entry.uploads ?? []) {
      if (upload.attachment) continue;
      const file = this.files.get(upload.localId);
      if (!file) {
        this.patch(entry.clientMsgId, {
          status: 'failed',
          error: `${upload.name} was not uploaded before the page closed: attach it again`,
        });
        return;
      }
      this.files.delete(upload.localId);
      this.api
        .upload(entry.roomId, file, upload.name, (progress) =>
          this.patchUpload(entry.clientMsgId, upload.localId, { progress }),
        )
        .then(
          (attachment) => {
            this.patchUpload(entry.clientMsgId, upload.localId, { progress: 1, attachment });
            void this.flush();
          },
          (error: unknown) => {
            // Kept for a retry of the message.
            this.files.set(upload.localId, file);
            this.patch(entry.clientMsgId, { status: 'failed', error: `${upload.name}: ${errorText(error)}` });
          },
        );
    }
  }

  private patchUpload(clientMsgId: string, localId: string, changes: Partial<OutboxUpload>): void {
    this.update((entries) =>
      entries.map((entry) =>
        entry.clientMsgId !== clientMsgId
          ? entry
          : {
              ...entry,
              uploads: entry.uploads?.map((u) => (u.localId === localId ? { ...u, ...changes } : u)),
            },
      ),
    );
  }

  /**
   * Sends queued entries one at a time, oldest first, so a room's messages are stored in the order
   * they were written. A transient failure stops the run; the next reconnect resumes it.
   */
  async flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.flushAgain = false;
        await this.sendQueued();
      } while (this.flushAgain);
    } finally {
      this.flushing = false;
    }
  }

  private async sendQueued(): Promise<void> {
    for (;;) {
      if (!this.connection.online()) return;
      const next = this.list().find((entry) => entry.status === 'queued');
      if (!next || !uploadsDone(next)) return;
      this.patch(next.clientMsgId, { status: 'sending', error: undefined });
      const attachmentIds = next.uploads?.map((upload) => upload.attachment!.id);
      try {
        const { message } = await this.connection.send(
          next.roomId,
          next.body,
          next.clientMsgId,
          attachmentIds,
          next.threadRootId,
        );
        this.discard(next.clientMsgId);
        this.delivered.next(message);
      } catch (error) {
        const code = error instanceof ChatError ? error.code : 'INTERNAL';
        if (isTransient(code) && !this.connection.online()) {
          // Lost the connection mid-send: wait for it; the same clientMsgId makes the resend safe.
          this.patch(next.clientMsgId, { status: 'queued' });
          return;
        }
        this.patch(next.clientMsgId, { status: 'failed', error: errorText(error) });
      }
    }
  }

  private restore(userId: string | null): void {
    this.storageKey = userId ? STORAGE_PREFIX + userId : null;
    const stored = this.storageKey ? readJson<OutboxEntry[]>(this.storage, this.storageKey) : null;
    // An entry "sending" when the page went away may or may not have been stored: resending is safe.
    const entries = Array.isArray(stored)
      ? stored
          .filter(isEntry)
          .map((entry) => (entry.status === 'sending' ? { ...entry, status: 'queued' as const } : entry))
          .map((entry) =>
            uploadsDone(entry) || entry.status === 'failed'
              ? entry
              : {
                  ...entry,
                  status: 'failed' as const,
                  error: 'An upload was cut off by a reload: attach the file again',
                },
          )
      : [];
    this.list.set(entries);
    if (entries.length > 0) void this.flush();
  }

  private patch(clientMsgId: string, changes: Partial<OutboxEntry>): void {
    this.update((entries) =>
      entries.map((entry) => (entry.clientMsgId === clientMsgId ? { ...entry, ...changes } : entry)),
    );
  }

  private update(change: (entries: OutboxEntry[]) => OutboxEntry[]): void {
    this.list.update(change);
    if (!this.storageKey) return;
    const entries = this.list();
    if (entries.length === 0) this.storage.removeItem(this.storageKey);
    else writeJson(this.storage, this.storageKey, entries);
  }
}

function isEntry(value: unknown): value is OutboxEntry {
  const entry = value as OutboxEntry | null;
  return (
    typeof entry?.clientMsgId === 'string' &&
    typeof entry.roomId === 'string' &&
    typeof entry.body === 'string' &&
    ['queued', 'sending', 'failed'].includes(entry.status)
  );
}
