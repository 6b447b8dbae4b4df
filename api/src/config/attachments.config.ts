import { registerAs } from '@nestjs/config';

import { duration, flag, int, oneOf, readEnv, text } from './env-var';

export const STORAGE_DRIVERS = ['postgres', 's3'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

export const attachmentsEnv = {
  STORAGE_DRIVER: oneOf(
    STORAGE_DRIVERS,
    'postgres',
    'where attachment bytes live: `postgres` (chunks in the app database; no extra service, shared by every instance) or `s3` (any S3-compatible store, see `S3_*`)',
  ),
  ATTACHMENT_MAX_BYTES: int(
    1,
    5 * 1024 ** 3,
    25 * 1024 * 1024,
    'largest upload; a bigger one is cut off with 413 `PAYLOAD_TOO_LARGE` and nothing of it is kept',
  ),
  ATTACHMENT_UPLOAD_RATE_LIMIT: int(
    1,
    1_000_000,
    30,
    'uploads per user per minute, all instances together (Redis; in memory without it); beyond it 429 `RATE_LIMITED`',
  ),
  ATTACHMENT_PENDING_MAX_BYTES: int(
    1,
    1024 ** 4,
    200 * 1024 * 1024,
    'bytes a user may hold in uploads that no message carries yet; the next upload is refused with 429',
  ),
  ATTACHMENT_GC_GRACE: duration('24h', 'how long an upload may wait for its message before it is deleted', {
    positive: true,
  }),
  ATTACHMENT_GC_INTERVAL: duration(
    '5m',
    'how often one instance deletes expired uploads and the files of deleted messages',
    { positive: true },
  ),
  ATTACHMENT_URL_TTL: duration(
    '15m',
    'lifetime of a signed download URL (`POST /api/attachments/signed-urls`)',
    { positive: true },
  ),
  S3_ENDPOINT: text(
    { pattern: /^https?:\/\/\S+$/, hint: 'an http(s) URL', unset: "unset → AWS's endpoint for `S3_REGION`" },
    'S3-compatible endpoint (MinIO, Ceph, R2, …)',
  ),
  S3_BUCKET: text({ unset: 'unset (required with `STORAGE_DRIVER=s3`)' }, 'bucket for attachments'),
  S3_REGION: text({ fallback: 'us-east-1' }, 'region of the bucket'),
  S3_ACCESS_KEY_ID: text(
    { unset: "unset → the AWS SDK's default credential chain (environment, profile, instance role)" },
    'access key',
  ),
  S3_SECRET_ACCESS_KEY: text({ unset: 'unset → as above' }, 'secret key'),
  S3_FORCE_PATH_STYLE: flag(
    true,
    '`bucket` in the path rather than the host name (MinIO and most S3-compatible stores)',
  ),
  S3_PRESIGNED_DOWNLOADS: flag(
    false,
    'downloads answered by a redirect to a presigned GET on the store (after the membership check) instead of streamed through the API; the store must then be reachable by browsers and allowed by the CSP',
  ),
};

export interface S3Settings {
  endpoint: string | null;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
  presignedDownloads: boolean;
}

export interface AttachmentsConfig {
  driver: StorageDriver;
  maxBytes: number;
  uploadsPerMinute: number;
  pendingMaxBytes: number;
  gcGraceSeconds: number;
  gcIntervalSeconds: number;
  urlTtlSeconds: number;
  /** Null unless STORAGE_DRIVER=s3. */
  s3: S3Settings | null;
}

export const attachmentsConfig = registerAs('attachments', (): AttachmentsConfig => {
  const env = readEnv(attachmentsEnv);
  return {
    driver: env.STORAGE_DRIVER,
    maxBytes: env.ATTACHMENT_MAX_BYTES,
    uploadsPerMinute: env.ATTACHMENT_UPLOAD_RATE_LIMIT,
    pendingMaxBytes: env.ATTACHMENT_PENDING_MAX_BYTES,
    gcGraceSeconds: env.ATTACHMENT_GC_GRACE,
    gcIntervalSeconds: env.ATTACHMENT_GC_INTERVAL,
    urlTtlSeconds: env.ATTACHMENT_URL_TTL,
    s3:
      env.STORAGE_DRIVER === 's3'
        ? {
            endpoint: env.S3_ENDPOINT,
            bucket: env.S3_BUCKET ?? '',
            region: env.S3_REGION,
            credentials:
              env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
                ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
                : null,
            forcePathStyle: env.S3_FORCE_PATH_STYLE,
            presignedDownloads: env.S3_PRESIGNED_DOWNLOADS,
          }
        : null,
  };
});
