import { Injectable, Signal, inject, signal } from '@angular/core';

import { AttachmentUrl } from '@chat/contracts';

import { ChatApi } from '../shared/chat-api';

/** Asked again this long before the links expire, so an image never loads from a dead link. */
const RENEW_BEFORE_MS = 60_000;

interface Link {
  url: ReturnType<typeof signal<AttachmentUrl | null>>;
  expiresAt: number;
}

/**
 * Signed download links for `<img src>` and `<a href>`, which cannot send the bearer token. Ids
 * asked for in the same tick go in one request; a link is reused until shortly before it expires.
 */
@Injectable({ providedIn: 'root' })
export class AttachmentLinks {
  private readonly api = inject(ChatApi);
  private readonly links = new Map<string, Link>();
  private readonly wanted = new Set<string>();
  private scheduled = false;

  /** The attachment's links: null until they arrive (or if the user may not read it). */
  of(attachmentId: string): Signal<AttachmentUrl | null> {
    let link = this.links.get(attachmentId);
    if (!link) {
      link = { url: signal<AttachmentUrl | null>(null), expiresAt: 0 };
      this.links.set(attachmentId, link);
    }
    if (link.expiresAt - RENEW_BEFORE_MS < Date.now()) this.request(attachmentId);
    return link.url.asReadonly();
  }

  private request(attachmentId: string): void {
    this.wanted.add(attachmentId);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => void this.fetchWanted());
  }

  private async fetchWanted(): Promise<void> {
    this.scheduled = false;
    const ids = [...this.wanted].slice(0, 100);
    ids.forEach((id) => this.wanted.delete(id));
    if (this.wanted.size > 0) this.request([...this.wanted][0]);
    // Marked as fresh before the answer, so a re-render meanwhile does not ask again.
    for (const id of ids) this.links.get(id)!.expiresAt = Date.now() + 2 * RENEW_BEFORE_MS;
    try {
      const { urls, expiresAt } = await this.api.http.attachmentUrls(ids);
      for (const url of urls) {
        const link = this.links.get(url.id)!;
        link.url.set(url);
        link.expiresAt = Date.parse(expiresAt);
      }
    } catch {
      for (const id of ids) this.links.get(id)!.expiresAt = 0;
    }
  }
}
