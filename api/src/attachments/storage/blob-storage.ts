import type { Readable } from 'node:stream';

/** Inclusive byte positions, as in an HTTP `Range` header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface PresignOptions {
  contentType: string;
  contentDisposition: string;
  expiresInSeconds: number;
}

/**
 * Where attachment bytes live, chosen by STORAGE_DRIVER. Both directions are streams: a driver never
 * holds a whole file. Keys are made by the attachments service; a driver does not interpret them.
 */
export abstract class BlobStorage {
  /** Stores the stream under `key`. If the stream fails, whatever was written is removed and the error rethrown. */
  abstract put(key: string, body: Readable, contentType: string): Promise<void>;

  /** The bytes of `range` (within the stored size, which the caller knows). */
  abstract get(key: string, range: ByteRange): Promise<Readable>;

  /** Idempotent: a key that is not there is not an error. */
  abstract delete(keys: string[]): Promise<void>;

  /** A URL the store serves itself (S3 presigned GET), or null when the API streams the bytes. */
  abstract presignedUrl(key: string, options: PresignOptions): Promise<string | null>;
}
