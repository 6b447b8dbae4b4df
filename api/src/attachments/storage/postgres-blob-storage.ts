import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';

import { BlobStorage, ByteRange } from './blob-storage';

/** Big enough that a 25 MB file is 100 rows, small enough that a range read fetches little more than it needs. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * The default driver: bytea rows of CHUNK_BYTES in the app's own database, so every instance sees
 * every file with nothing else to run, and PGlite under `npm start` works the same. Chosen over large
 * objects: plain rows replicate, dump and restore like the rest of the data, and need no lo_unlink
 * bookkeeping. Each chunk is its own short statement (no transaction held open for the length of an
 * upload, which would starve PGlite's single connection); a failed upload deletes what it wrote.
 */
export class PostgresBlobStorage extends BlobStorage {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async put(key: string, body: Readable): Promise<void> {
    let n = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (bytes: number) => {
      const all = Buffer.concat(pending, pendingBytes);
      await this.dataSource.query(`INSERT INTO attachment_blob_chunks (key, n, data) VALUES ($1, $2, $3)`, [
        key,
        n++,
        all.subarray(0, bytes),
      ]);
      pending = bytes < all.length ? [all.subarray(bytes)] : [];
      pendingBytes = all.length - bytes;
    };
    try {
      // Async iteration pauses the source while a chunk is written: at most ~2 chunks in memory.
      for await (const piece of body as AsyncIterable<Buffer>) {
        pending.push(piece);
        pendingBytes += piece.length;
        while (pendingBytes >= CHUNK_BYTES) await flush(CHUNK_BYTES);
      }
      if (pendingBytes > 0 || n === 0) await flush(pendingBytes);
    } catch (error) {
      await this.delete([key]).catch(() => undefined);
      throw error;
    }
  }

  get(key: string, range: ByteRange): Promise<Readable> {
    const dataSource = this.dataSource;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let n = Math.floor(range.start / CHUNK_BYTES); n * CHUNK_BYTES <= range.end; n++) {
        const from = Math.max(range.start - n * CHUNK_BYTES, 0);
        const to = Math.min(range.end - n * CHUNK_BYTES, CHUNK_BYTES - 1);
        const [row]: { data: Buffer }[] = await dataSource.query(
          `SELECT substring(data FROM $3 FOR $4) AS data FROM attachment_blob_chunks WHERE key = $1 AND n = $2`,
          [key, n, from + 1, to - from + 1],
        );
        if (!row) throw new Error(`Blob ${key} has no chunk ${n}`);
        yield row.data;
      }
    }
    return Promise.resolve(Readable.from(chunks(), { objectMode: false }));
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.query(`DELETE FROM attachment_blob_chunks WHERE key = ANY($1::text[])`, [keys]);
  }

  presignedUrl(): Promise<string | null> {
    return Promise.resolve(null);
  }
}
