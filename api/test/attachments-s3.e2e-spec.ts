import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';

import type { Attachment } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { download, photoWithLocation, randomFile, upload } from './support/attachments';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, registerUser } from './support/users';

const BUCKET = 'chat-attachments';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * STORAGE_DRIVER=s3 against s3rver, an S3-protocol server from npm started here on 127.0.0.1
 * (multipart uploads, SigV4 and presigned GETs with response-header overrides); no real S3 is reachable.
 */
describe('attachments on S3-compatible storage', () => {
  let server: S3rver;
  let directory: string;
  let s3: S3Client;
  let streaming: TestApp;
  let redirecting: TestApp;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 's3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    const { port } = (await server.run()) as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:s3-${randomUUID().slice(0, 8)}`,
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      ATTACHMENT_MAX_BYTES: String(8 * 1024 * 1024),
    };
    streaming = await startTestApp(env);
    redirecting = await startTestApp({ ...env, S3_PRESIGNED_DOWNLOADS: 'true' });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await Promise.all([streaming, redirecting].map((app) => app?.close()));
    s3?.destroy();
    await server?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function connect(user: TestUser, app: TestApp): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket();
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  async function objectsOf(userId: string): Promise<string[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${userId}/` }));
    return (listed.Contents ?? []).map((object) => object.Key!).sort();
  }

  async function setUp() {
    const alice = await registerUser(streaming.url, 'alice');
    const bob = await registerUser(redirecting.url, 'bob');
    const room = await alice.client.http.createRoom({ name: 'S3', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);
    return { alice, bob, room };
  }

  const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.auth.accessToken}` });

  it('stores a multipart upload, streams it back with ranges, and redirects to a presigned GET', async () => {
    const { alice, bob, room } = await setUp();
    // Over S3's 5 MB part size: two parts.
    const bytes = randomFile(6 * 1024 * 1024 + 123);
    const answer = await upload(streaming.url, alice.auth.accessToken, room.id, bytes, 'backup.bin');
    expect(answer.status).toBe(201);
    const attachment = answer.body as Attachment;
    expect(await objectsOf(alice.id)).toEqual([`${alice.id}/${attachment.id}/upload`]);
    await (await connect(alice, streaming)).send(room.id, 'big one', { attachmentIds: [attachment.id] });

    const whole = await download(`${streaming.url}/api/attachments/${attachment.id}`, bearer(bob));
    expect(whole.status).toBe(200);
    expect(whole.bytes.equals(bytes)).toBe(true);
    const part = await download(`${streaming.url}/api/attachments/${attachment.id}`, {
      ...bearer(bob),
      range: 'bytes=5242870-5242889',
    });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(bytes.subarray(5242870, 5242890))).toBe(true);

    // The other instance answers with a redirect to the store, after the same membership check.
    const { urls } = await bob.client.http.attachmentUrls([attachment.id]);
    const signed = urls[0].url.replace(streaming.url, redirecting.url);
    const redirect = await fetch(signed, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location).toContain('X-Amz-Signature=');
    const fromStore = await download(location);
    expect(fromStore.bytes.equals(bytes)).toBe(true);
    expect(fromStore.headers.get('content-disposition')).toMatch(/^attachment; filename="backup.bin"/);
    const carol = await registerUser(redirecting.url, 'carol');
    expect(
      (
        await fetch(`${redirecting.url}/api/attachments/${attachment.id}`, {
          headers: bearer(carol),
          redirect: 'manual',
        })
      ).status,
    ).toBe(404);
  });

  it('keeps only the re-encoded image and its thumbnail, and deletes them with the message', async () => {
    const { alice, bob, room } = await setUp();
    const answer = await upload(
      streaming.url,
      alice.auth.accessToken,
      room.id,
      await photoWithLocation(),
      'p.jpg',
    );
    const attachment = answer.body as Attachment;
    expect(attachment).toMatchObject({ contentType: 'image/jpeg', width: 20, height: 40 });
    expect(await objectsOf(alice.id)).toEqual([
      `${alice.id}/${attachment.id}/image`,
      `${alice.id}/${attachment.id}/thumbnail`,
    ]);
    const socket = await connect(alice, streaming);
    const { message } = await socket.send(room.id, '', { attachmentIds: [attachment.id] });
    const served = await download(`${streaming.url}/api/attachments/${attachment.id}`, bearer(bob));
    expect((await sharp(served.bytes).metadata()).exif).toBeUndefined();
    await socket.delete(message.id);
    expect(await objectsOf(alice.id)).toEqual([]);
  });

  it('cuts an oversize streamed upload off with 413 and leaves no object behind', async () => {
    const { alice, room } = await setUp();
    const boundary = 'x-boundary';
    const parts = [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.bin"\r\n\r\n`,
      ),
      ...Array.from({ length: 9 }, () => randomFile(1024 * 1024)),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ];
    const response = await fetch(`${streaming.url}/api/rooms/${room.id}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice.auth.accessToken}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body: new ReadableStream({
        pull(controller) {
          const next = parts.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await objectsOf(alice.id)).toEqual([]);
  });
});
