import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import { Attachment, AttachmentUrls, ErrorCode, Limits, UserRef } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { RoomsService } from '../rooms/rooms.service';
import { AttachmentCollector } from './attachment-collector';
import { AttachmentRow, AttachmentsRepository, StoredFile, toAttachment } from './attachments.repository';
import { INLINE_IMAGE_TYPES, cleanFileName, contentDisposition, sniffContentType } from './content-type';
import { processImage } from './image-processing';
import { receiveFile, tooLarge } from './multipart-file';
import { AttachmentVariant, SignedUrls } from './signed-urls';
import { BlobStorage, ByteRange } from './storage/blob-storage';
import { UploadBudget } from './upload-budget';

/** Room for the multipart framing around the file (boundaries, part headers, a long file name). */
const MULTIPART_OVERHEAD = 16 * 1024;

export interface Download {
  name: string;
  contentType: string;
  disposition: string;
  size: number;
  /** Opens the bytes of a range (validated against `size` by the caller). */
  open(range: ByteRange): Promise<Readable>;
  /** Where the store serves it itself (S3 presigned GET), or null. */
  redirect(): Promise<string | null>;
}

@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);
  private readonly maxBytes: number;

  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly storage: BlobStorage,
    private readonly rooms: RoomsService,
    private readonly budget: UploadBudget,
    private readonly collector: AttachmentCollector,
    @Inject(SignedUrls) private readonly urls: SignedUrls,
    private readonly config: ConfigService<AllConfig, true>,
  ) {
    this.maxBytes = config.get('attachments.maxBytes', { infer: true });
  }

  /**
   * Members only, within the user's upload rate and unsent-bytes budget. The bytes go to storage as
   * they arrive; the type is sniffed from the first of them. An image is then re-encoded without its
   * metadata and thumbnailed (sharp holds the encoded image, at most ATTACHMENT_MAX_BYTES, while it
   * decodes: decoding needs it whole). Any failure removes the row and whatever was stored.
   */
  async upload(user: UserRef, roomId: string, request: Request): Promise<Attachment> {
    await this.rooms.assertCanWrite(roomId, user.id);
    const declared = Number(request.headers['content-length']);
    if (declared > this.maxBytes + MULTIPART_OVERHEAD) throw tooLarge(this.maxBytes);
    await this.budget.spend(user.id);
    const pendingMax = this.config.get('attachments.pendingMaxBytes', { infer: true });
    if ((await this.repository.unsentBytes(user.id)) + (declared || 0) > pendingMax + MULTIPART_OVERHEAD) {
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        'Too many bytes in uploads not yet sent: send or wait for them to expire',
      );
    }
    return receiveFile(request, this.maxBytes, async (file) => {
      const id = randomUUID();
      const prefix = `${user.id}/${id}`;
      const name = cleanFileName(file.name, Limits.ATTACHMENT_NAME_MAX);
      await this.repository.begin(id, roomId, user.id, name, `${prefix}/upload`);
      const written: string[] = [`${prefix}/upload`];
      try {
        await this.storage.put(`${prefix}/upload`, file.stream, 'application/octet-stream');
        const stored = await this.finish(prefix, file.bytes, await sniffContentType(file.head), written);
        return toAttachment(await this.repository.complete(id, stored));
      } catch (error) {
        await this.repository.discard(id);
        await this.collector.deleteNow(written);
        throw file.tooLarge ? tooLarge(this.maxBytes) : error;
      }
    });
  }

  /** Images are replaced by their re-encoded copy plus a thumbnail; anything else stays as uploaded. */
  private async finish(
    prefix: string,
    size: number,
    contentType: string,
    written: string[],
  ): Promise<StoredFile> {
    const plain: StoredFile = {
      size,
      contentType,
      blobKey: `${prefix}/upload`,
      width: null,
      height: null,
      thumbnailKey: null,
      thumbnailSize: null,
    };
    if (!INLINE_IMAGE_TYPES.has(contentType)) return plain;
    const original = await this.readAll(`${prefix}/upload`, size);
    const processed = await processImage(original, contentType);
    if (!processed) return { ...plain, contentType: 'application/octet-stream' };
    written.push(`${prefix}/image`, `${prefix}/thumbnail`);
    await this.storage.put(`${prefix}/image`, Readable.from([processed.image]), contentType);
    await this.storage.put(`${prefix}/thumbnail`, Readable.from([processed.thumbnail]), 'image/webp');
    await this.collector.deleteNow([`${prefix}/upload`]);
    return {
      size: processed.image.length,
      contentType,
      blobKey: `${prefix}/image`,
      width: processed.width,
      height: processed.height,
      thumbnailKey: `${prefix}/thumbnail`,
      thumbnailSize: processed.thumbnail.length,
    };
  }

  private async readAll(key: string, size: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of await this.storage.get(key, { start: 0, end: size - 1 }))
      parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  /** For a current member of the attachment's room; NOT_FOUND otherwise (a non-member learns nothing). */
  async download(userId: string, attachmentId: string, variant: AttachmentVariant): Promise<Download> {
    const row = await this.repository.readable(attachmentId, userId);
    const key = variant === 'thumbnail' ? row?.thumbnail_key : row?.blob_key;
    if (!row || !key) throw AppError.notFound(variant === 'thumbnail' ? 'Thumbnail' : 'Attachment');
    const thumbnail = variant === 'thumbnail';
    const contentType = thumbnail ? 'image/webp' : row.content_type;
    const name = thumbnail ? `${row.name}.thumbnail.webp` : row.name;
    const disposition = contentDisposition(name, contentType);
    const size = thumbnail ? Number(row.thumbnail_size) : Number(row.size);
    const ttl = this.config.get('attachments.urlTtlSeconds', { infer: true });
    return {
      name,
      contentType,
      disposition,
      size,
      open: (range) => this.storage.get(key, range),
      redirect: () =>
        this.storage.presignedUrl(key, {
          contentType,
          contentDisposition: disposition,
          expiresInSeconds: ttl,
        }),
    };
  }

  /** Signed links for `<img>` and plain links, for the attachments the caller may read now. */
  async signedUrls(userId: string, attachmentIds: string[]): Promise<AttachmentUrls> {
    const ttl = this.config.get('attachments.urlTtlSeconds', { infer: true });
    const expires = Math.floor(Date.now() / 1000) + ttl;
    const rows = await this.repository.readableMany([...new Set(attachmentIds)], userId);
    const path = (row: AttachmentRow, variant: AttachmentVariant) =>
      this.urls.path({ attachmentId: row.id, variant, userId, expires });
    return {
      urls: rows.map((row) => ({
        id: row.id,
        url: path(row, 'file'),
        thumbnailUrl: row.thumbnail_key ? path(row, 'thumbnail') : null,
      })),
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  verifySignedUrl(
    attachmentId: string,
    variant: AttachmentVariant,
    query: { user?: unknown; expires?: unknown; sig?: unknown },
  ): string | null {
    const { user, expires, sig } = query;
    if (typeof user !== 'string' || typeof expires !== 'string' || typeof sig !== 'string') return null;
    if (!/^\d{1,12}$/.test(expires)) return null;
    const grant = { attachmentId, variant, userId: user, expires: Number(expires) };
    return this.urls.verify(grant, sig) ? user : null;
  }
}
