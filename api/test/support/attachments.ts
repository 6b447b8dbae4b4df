import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** A JPEG with EXIF that must not survive: a marker in IFD0, a GPS position, and orientation 6 (turn 90°). */
export async function photoWithLocation(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: 'blue' } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: 'SECRET-EXIF-MARKER' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2412/100' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export const randomFile = (bytes: number): Buffer => randomBytes(bytes);

/** `POST /api/rooms/:id/attachments` with a multipart body whose part claims `type` and `name`, as a browser would send it. */
export async function upload(
  baseUrl: string,
  token: string,
  roomId: string,
  bytes: Uint8Array,
  name: string,
  type = 'application/octet-stream',
): Promise<{ status: number; body: any; contentType: string; text: string }> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const response = await fetch(`${baseUrl}/api/rooms/${roomId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the caller's assertions say so
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') ?? '', text };
}

export async function download(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(url, { headers, redirect: 'follow' });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}
