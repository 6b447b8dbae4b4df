import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';

import type { S3Settings } from '../../config/attachments.config';
import { BlobStorage, ByteRange, PresignOptions } from './blob-storage';

/** S3's minimum part size; two parts in flight bound an upload's memory to about 10 MB. */
const PART_BYTES = 5 * 1024 * 1024;

/**
 * Any S3-compatible store through the AWS SDK v3. Uploads are multipart (lib-storage's `Upload`,
 * which aborts the multipart upload when the source fails, so no part is left billed); reads pass the
 * Range on. Checksums only where the protocol requires them: the SDK's default trailing CRC
 * (aws-chunked bodies) is not understood by every S3-compatible server.
 */
export class S3BlobStorage extends BlobStorage {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    super();
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint && { endpoint: settings.endpoint }),
      forcePathStyle: settings.forcePathStyle,
      ...(settings.credentials && { credentials: settings.credentials }),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: PART_BYTES,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async get(key: string, range: ByteRange): Promise<Readable> {
    const response = await this.client.send(
      new GetObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Range: `bytes=${range.start}-${range.end}`,
      }),
    );
    return response.Body as Readable;
  }

  /** One request per key: DeleteObjects needs a Content-MD5 that not every S3-compatible server accepts from SDK v3. */
  async delete(keys: string[]): Promise<void> {
    for (const Key of keys) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key }));
    }
  }

  presignedUrl(key: string, options: PresignOptions): Promise<string | null> {
    if (!this.settings.presignedDownloads) return Promise.resolve(null);
    const command = new GetObjectCommand({
      Bucket: this.settings.bucket,
      Key: key,
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.contentDisposition,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }

  destroy(): void {
    this.client.destroy();
  }
}
