import busboy from 'busboy';
import type { Request } from 'express';
import { Readable, Transform, TransformCallback } from 'node:stream';

import { ErrorCode } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { SNIFF_BYTES } from './content-type';

export interface IncomingFile {
  /** As the client named it (not yet cleaned). */
  name: string;
  /** The part's bytes; fails with PAYLOAD_TOO_LARGE past the limit, or when the client goes away. */
  stream: Readable;
  /** Bytes read so far. */
  readonly bytes: number;
  /** The first SNIFF_BYTES bytes, once read (for sniffing the type). */
  readonly head: Buffer;
  /** Past the limit: whatever the consumer's error says (an S3 upload wraps it), the answer is 413. */
  readonly tooLarge: boolean;
}

export const tooLarge = (maxBytes: number) =>
  new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than ${maxBytes} bytes`);

/** Counts bytes, keeps the first few, and fails the stream once it is past the limit. */
class MeteredStream extends Transform {
  bytes = 0;
  tooLarge = false;
  private headParts: Buffer[] = [];
  private headBytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  get head(): Buffer {
    return Buffer.concat(this.headParts, this.headBytes);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return this.refuse(done);
    if (this.headBytes < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - this.headBytes);
      this.headParts.push(Buffer.from(part));
      this.headBytes += part.length;
    }
    done(null, chunk);
  }

  /** busboy stops at exactly the limit and says so; the meter itself catches a part that goes past it. */
  refuse(done?: TransformCallback): void {
    this.tooLarge = true;
    if (done) done(tooLarge(this.maxBytes));
    else this.destroy(tooLarge(this.maxBytes));
  }
}

/**
 * Streams the single file part (field `file`) of a multipart request into `handle`, never holding
 * the whole file: busboy parses as the bytes arrive and `handle` (a storage upload) pulls them.
 * Other parts are refused. Past `maxBytes` the stream fails, `handle` is expected to clean up, and
 * the rest of the request is drained (at most `maxBytes` more, then the connection is cut) so the
 * client reads the 413 rather than a reset.
 */
export function receiveFile<T>(
  request: Request,
  maxBytes: number,
  handle: (file: IncomingFile) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        // busboy signals a limit when a count reaches it: `parts: 2` fires on a second part.
        limits: { files: 1, fields: 0, parts: 2, fileSize: maxBytes, headerPairs: 20 },
        defParamCharset: 'utf8',
      });
    } catch {
      reject(AppError.validation({ file: ['expected a multipart/form-data body with one part named file'] }));
      return;
    }
    let handled: Promise<T> | null = null;
    let metered: MeteredStream | null = null;
    const fail = (error: Error) => {
      metered?.destroy(error);
      if (!handled) reject(error);
    };

    parser.on('file', (field, file, info) => {
      if (field !== 'file' || handled) {
        file.resume();
        return fail(AppError.validation({ file: ['send exactly one part, named file'] }));
      }
      const meter = new MeteredStream(maxBytes);
      // Its consumer (the storage upload) sees the error through its reads; this keeps a failure
      // after the consumer is done from being an uncaught 'error' event.
      meter.on('error', () => undefined);
      metered = meter;
      file.on('limit', () => meter.refuse());
      file.pipe(meter);
      handled = handle({
        name: info.filename ?? '',
        stream: meter,
        get bytes() {
          return meter.bytes;
        },
        get head() {
          return meter.head;
        },
        get tooLarge() {
          return meter.tooLarge;
        },
      });
      handled.then(resolve, (error: unknown) => {
        reject(error as Error);
        drain(request, parser, maxBytes);
      });
    });
    parser.on('field', () => fail(AppError.validation({ file: ['send exactly one part, named file'] })));
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () => fail(AppError.validation({ file: ['send exactly one part, named file'] })));
    }
    parser.on('error', (error: Error) =>
      fail(AppError.validation({ file: [`malformed multipart body: ${error.message}`] })),
    );
    parser.on('close', () => {
      if (!handled) reject(AppError.validation({ file: ['a file part named file is required'] }));
    });
    request.on('aborted', () => fail(new Error('The client went away during the upload')));
    request.pipe(parser);
  });
}

function drain(request: Request, parser: busboy.Busboy, maxBytes: number): void {
  request.unpipe(parser);
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxBytes) request.socket.destroy();
  });
  request.resume();
}
