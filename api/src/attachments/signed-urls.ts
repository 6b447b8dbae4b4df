import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export type AttachmentVariant = 'file' | 'thumbnail';

export interface UrlGrant {
  attachmentId: string;
  variant: AttachmentVariant;
  userId: string;
  /** Unix seconds. */
  expires: number;
}

/**
 * Download links an `<img>` can load (it cannot send a bearer header): the query carries the user, an
 * expiry and an HMAC-SHA256 over attachment, variant, user and expiry, keyed by a key derived from the
 * JWT secret. A link works for that user alone, for that file alone, until it expires; the download
 * still checks that the user is a member of the room at that moment.
 */
export class SignedUrls {
  private readonly key: Buffer;

  constructor(jwtSecret: KeyObject) {
    // A key of its own, so a URL signature can never be replayed as (or made from) a token signature.
    this.key = createHmac('sha256', jwtSecret).update('attachment-download-urls').digest();
  }

  path(grant: UrlGrant): string {
    const base = `/api/attachments/${grant.attachmentId}${grant.variant === 'thumbnail' ? '/thumbnail' : ''}`;
    return `${base}?user=${grant.userId}&expires=${grant.expires}&sig=${this.sign(grant)}`;
  }

  /** True for a signature this instance's key made over exactly this grant, not yet expired. */
  verify(grant: UrlGrant, signature: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
    if (!Number.isSafeInteger(grant.expires) || grant.expires < nowSeconds) return false;
    const expected = Buffer.from(this.sign(grant));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign({ attachmentId, variant, userId, expires }: UrlGrant): string {
    return createHmac('sha256', this.key)
      .update(`${attachmentId}\n${variant}\n${userId}\n${expires}`)
      .digest('base64url');
  }
}
