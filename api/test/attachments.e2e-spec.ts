import fc from 'fast-check';
import { createSecretKey, randomUUID } from 'node:crypto';
import sharp from 'sharp';

import type { Attachment, Room } from '@chat/contracts';
import { ChatApiError } from '@chat/sdk';

import { AttachmentCollector } from '../src/attachments/attachment-collector';
import { SignedUrls } from '../src/attachments/signed-urls';
import { download, photoWithLocation, randomFile, upload } from './support/attachments';
import { EventRecorder, rawAck } from './support/events';
import { anyText, assertContractHttpAnswer } from './support/fuzz';
import { TEST_JWT_SECRET, TestApp } from './support/test-app';
import { useTwoApps } from './support/two-apps';
import { TestUser, createRoomWith, registerUser } from './support/users';

const MAX_BYTES = 1_000_000;

/** Attachments with the default (Postgres) storage, across two instances, from the attacker's side too. */
describe('attachments across 2 instances', () => {
  const suite = useTwoApps('att', {
    ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
    // The budgets have their own test (below), with their own instance.
    ATTACHMENT_UPLOAD_RATE_LIMIT: '1000000',
  });

  /** Alice (instance one) and Bob (instance two) in a room; Carol outside it. */
  async function setUp() {
    const [one, two] = suite.apps;
    const alice = await registerUser(one.url, 'alice');
    const bob = await registerUser(two.url, 'bob');
    const carol = await registerUser(two.url, 'carol');
    const room = await createRoomWith(alice, [bob], 'Files');
    return { one, two, alice, bob, carol, room };
  }

  async function uploadOk(
    app: TestApp,
    user: TestUser,
    room: Room,
    bytes: Uint8Array,
    name: string,
    type?: string,
  ) {
    const answer = await upload(app.url, user.auth.accessToken, room.id, bytes, name, type);
    if (answer.status !== 201) throw new Error(`upload: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as Attachment;
  }

  /** Rows and stored chunks of the user's uploads: what "nothing left in storage" is checked against. */
  async function storedFor(userId: string) {
    const rows = await suite.db.query('SELECT count(*)::int AS n FROM attachments WHERE uploader_id = $1', [
      userId,
    ]);
    const chunks = await suite.db.query(
      `SELECT count(*)::int AS n FROM attachment_blob_chunks WHERE key LIKE $1`,
      [`${userId}/%`],
    );
    return { rows: rows.rows[0].n as number, chunks: chunks.rows[0].n as number };
  }

  const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.auth.accessToken}` });

  it('an image uploaded on one instance reaches a member on the other, oriented, without its EXIF, with a thumbnail', async () => {
    const { one, two, alice, bob, room } = await setUp();
    const photo = await photoWithLocation();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const attachment = await uploadOk(one, alice, room, photo, 'holiday.jpg', 'image/jpeg');
    // Orientation 6 applied: the 40×20 pixels stand 20×40.
    expect(attachment).toMatchObject({
      name: 'holiday.jpg',
      contentType: 'image/jpeg',
      width: 20,
      height: 40,
    });

    const bobSocket = await suite.connect(bob, two);
    await bobSocket.join(room.id);
    const bobMessages = new EventRecorder(bobSocket, 'message:new');
    const aliceSocket = await suite.connect(alice, one);
    const { message } = await aliceSocket.send(room.id, '', { attachmentIds: [attachment.id] });
    expect(message.attachments).toEqual([attachment]);
    const received = await bobMessages.next((m) => m.id === message.id, 'the message with the photo');
    expect(received.attachments).toEqual([attachment]);

    const served = await download(`${two.url}/api/attachments/${attachment.id}`, bearer(bob));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('content-disposition')).toMatch(/^inline; filename="holiday.jpg"/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.bytes.length).toBe(attachment.size);
    expect(served.bytes.includes('SECRET-EXIF-MARKER')).toBe(false);
    const metadata = await sharp(served.bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect([metadata.width, metadata.height]).toEqual([20, 40]);

    const thumbnail = await download(`${two.url}/api/attachments/${attachment.id}/thumbnail`, bearer(bob));
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(thumbnail.bytes).metadata()).format).toBe('webp');

    const history = await bob.client.http.history(room.id, {});
    expect(history.messages.find((m) => m.id === message.id)?.attachments).toEqual([attachment]);
  });

  it('serves byte ranges across chunk boundaries, and refuses an unsatisfiable one', async () => {
    const { one, two, alice, bob, room } = await setUp();
    const bytes = randomFile(600_000);
    const attachment = await uploadOk(one, alice, room, bytes, 'data.bin');
    expect(attachment).toEqual({
      id: attachment.id,
      name: 'data.bin',
      size: 600_000,
      contentType: 'application/octet-stream',
    });
    const url = `${two.url}/api/attachments/${attachment.id}`;

    const whole = await download(url, bearer(bob));
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.bytes.equals(bytes)).toBe(true);

    const middle = await download(url, { ...bearer(bob), range: 'bytes=262000-524999' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe('bytes 262000-524999/600000');
    expect(middle.bytes.equals(bytes.subarray(262000, 525000))).toBe(true);

    const tail = await download(url, { ...bearer(bob), range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(bytes.subarray(599_990))).toBe(true);

    const beyond = await download(url, { ...bearer(bob), range: 'bytes=700000-' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */600000');
  });

  it('is for current members only: upload, download, thumbnail and signed URLs', async () => {
    const { one, two, alice, bob, carol, room } = await setUp();
    const attachment = await uploadOk(one, alice, room, await photoWithLocation(), 'p.jpg');
    await (await suite.connect(alice, one)).send(room.id, 'photo', { attachmentIds: [attachment.id] });

    expect(
      (await upload(two.url, carol.auth.accessToken, room.id, randomFile(10), 'x.bin')).body,
    ).toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
    });
    for (const path of ['', '/thumbnail']) {
      const denied = await download(`${two.url}/api/attachments/${attachment.id}${path}`, bearer(carol));
      expect(denied.status).toBe(404);
      expect(denied.bytes.includes(Buffer.from('JFIF'))).toBe(false);
    }
    expect((await carol.client.http.attachmentUrls([attachment.id])).urls).toEqual([]);
    expect((await download(`${two.url}/api/attachments/${attachment.id}`)).status).toBe(401);

    // Bob's signed link works without a header — until Bob leaves the room.
    const { urls } = await bob.client.http.attachmentUrls([attachment.id]);
    expect((await download(urls[0].url)).status).toBe(200);
    expect((await download(urls[0].thumbnailUrl!)).status).toBe(200);
    await bob.client.http.leaveRoom(room.id);
    expect((await download(urls[0].url)).status).toBe(404);
    expect((await download(`${two.url}/api/attachments/${attachment.id}`, bearer(bob))).status).toBe(404);
  });

  it('refuses expired, forged and re-targeted signed URLs', async () => {
    const { one, two, alice, bob, carol, room } = await setUp();
    const attachment = await uploadOk(one, alice, room, await photoWithLocation(), 'p.jpg');
    await (await suite.connect(alice, one)).send(room.id, 'photo', { attachmentIds: [attachment.id] });
    const { urls } = await bob.client.http.attachmentUrls([attachment.id]);
    const signed = new URL(urls[0].url);
    const variant = (change: (url: URL) => void) => {
      const copy = new URL(signed.toString());
      change(copy);
      return copy.toString();
    };
    const refused = [
      // Carol puts her own id on Bob's link.
      variant((u) => u.searchParams.set('user', carol.id)),
      variant((u) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600))),
      variant((u) => u.searchParams.set('sig', `${u.searchParams.get('sig')!.slice(0, -2)}AA`)),
      variant((u) => (u.pathname = `${u.pathname}/thumbnail`)),
      variant((u) => u.searchParams.delete('user')),
    ];
    // Correctly signed (the instances' key, made from the test JWT secret) but expired.
    const key = new SignedUrls(createSecretKey(Buffer.from(TEST_JWT_SECRET, 'utf8')));
    const grant = { attachmentId: attachment.id, variant: 'file' as const, userId: bob.id };
    refused.push(`${two.url}${key.path({ ...grant, expires: Math.floor(Date.now() / 1000) - 5 })}`);
    for (const url of refused) {
      const answer = await download(url);
      expect({ url, status: answer.status }).toEqual({ url, status: 401 });
    }
    // The same key with a future expiry is accepted: the refusals above are about the grant, not the key.
    expect(
      (await download(`${two.url}${key.path({ ...grant, expires: Math.floor(Date.now() / 1000) + 60 })}`))
        .status,
    ).toBe(200);
    // A signed link for a non-member (made with the real key) still meets the membership check.
    const forCarol = key.path({ ...grant, userId: carol.id, expires: Math.floor(Date.now() / 1000) + 60 });
    expect((await download(`${two.url}${forCarol}`)).status).toBe(404);
  });

  it("refuses someone else's upload, another room's, a used one, and sends a resend once", async () => {
    const { one, two, alice, bob, room } = await setUp();
    const other = await alice.client.http.createRoom({ name: 'Other', visibility: 'public' });
    const alices = await uploadOk(one, alice, room, randomFile(100), 'a.bin');
    const bobsElsewhere = await uploadOk(two, bob, room, randomFile(100), 'b.bin');
    await bob.client.http.joinRoom(other.id);
    const bobsOther = await uploadOk(two, bob, other, randomFile(100), 'c.bin');
    const bobSocket = await suite.connect(bob, two);

    for (const ids of [[alices.id], [bobsOther.id], [randomUUID()], [bobsElsewhere.id, alices.id]]) {
      const ack = await rawAck(bobSocket, 'message:send', {
        roomId: room.id,
        body: 'mine now',
        clientMsgId: randomUUID(),
        attachmentIds: ids,
      });
      expect(ack).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', fields: { attachmentIds: expect.any(Array) } },
      });
    }
    // Nothing was stored or taken by the refusals: the upload is still Bob's to send, once.
    const clientMsgId = randomUUID();
    const first = await bobSocket.send(room.id, 'now', { attachmentIds: [bobsElsewhere.id], clientMsgId });
    expect(first.message.attachments).toEqual([bobsElsewhere]);
    const resend = await bobSocket.send(room.id, 'now', { attachmentIds: [bobsElsewhere.id], clientMsgId });
    expect(resend).toMatchObject({
      duplicate: true,
      message: { id: first.message.id, attachments: [bobsElsewhere] },
    });
    await expect(
      bobSocket.send(room.id, 'again', { attachmentIds: [bobsElsewhere.id] }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    // Over REST (the bot path) the same rule.
    await expect(
      bob.client.http.postMessage(room.id, 'again', randomUUID(), { attachmentIds: [bobsElsewhere.id] }),
    ).rejects.toBeInstanceOf(ChatApiError);
  });

  it('puts one upload on one message when two sends race on two instances', async () => {
    const { one, two, alice, room } = await setUp();
    const attachment = await uploadOk(one, alice, room, randomFile(100), 'race.bin');
    const sockets = [await suite.connect(alice, one), await suite.connect(alice, two)];
    const outcomes = await Promise.allSettled(
      sockets.flatMap((socket) =>
        [1, 2].map(() => socket.send(room.id, 'race', { attachmentIds: [attachment.id], retries: 0 })),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const owners = await suite.db.query('SELECT message_id FROM attachments WHERE id = $1', [attachment.id]);
    expect(owners.rows[0].message_id).toBe(
      (outcomes.find((o) => o.status === 'fulfilled') as any).value.message.id,
    );
  });

  it('posts attachments over REST, and still wants words without them', async () => {
    const { one, alice, room } = await setUp();
    const attachment = await uploadOk(one, alice, room, randomFile(10), 'r.bin');
    const posted = await alice.client.http.postMessage(room.id, '', randomUUID(), {
      attachmentIds: [attachment.id],
    });
    expect(posted.message.attachments).toEqual([attachment]);
    await expect(alice.client.http.postMessage(room.id, '  ', randomUUID())).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('cuts an oversize upload off with 413 and keeps nothing of it', async () => {
    const { one, alice, room } = await setUp();
    // Declared too large: refused before a byte is read.
    const declared = await upload(
      one.url,
      alice.auth.accessToken,
      room.id,
      randomFile(MAX_BYTES + 20_000),
      'big.bin',
    );
    expect(declared).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    // Streamed without a length: cut off once past the limit, after some chunks were stored.
    const boundary = 'x-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`;
    const parts = [
      Buffer.from(head),
      ...Array.from({ length: 8 }, () => randomFile(200_000)),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ];
    const body = new ReadableStream({
      pull(controller) {
        const next = parts.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const response = await fetch(`${one.url}/api/rooms/${room.id}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice.auth.accessToken}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await storedFor(alice.id)).toEqual({ rows: 0, chunks: 0 });
  });

  it('sniffs the type from the bytes: HTML or SVG claiming to be an image is served as a download', async () => {
    const { one, two, alice, bob, room } = await setUp();
    const cases = [
      { name: 'cat.png', type: 'image/png', bytes: '<html><script>alert(document.cookie)</script></html>' },
      {
        name: 'logo.svg',
        type: 'image/svg+xml',
        bytes: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      },
      { name: 'page.html', type: 'text/html', bytes: '<!doctype html><h1>hi</h1>' },
    ];
    for (const { name, type, bytes } of cases) {
      const attachment = await uploadOk(one, alice, room, Buffer.from(bytes), name, type);
      expect(attachment).toEqual({
        id: attachment.id,
        name,
        size: bytes.length,
        contentType: 'application/octet-stream',
      });
      await (await suite.connect(alice, one)).send(room.id, name, { attachmentIds: [attachment.id] });
      const served = await download(`${two.url}/api/attachments/${attachment.id}`, bearer(bob));
      expect(served.headers.get('content-type')).toBe('application/octet-stream');
      expect(served.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(served.headers.get('content-security-policy')).toContain('sandbox');
      expect(
        (await download(`${two.url}/api/attachments/${attachment.id}/thumbnail`, bearer(bob))).status,
      ).toBe(404);
    }
    // A PNG with a .txt name and a text type is still a PNG.
    const png = await sharp({ create: { width: 3, height: 3, channels: 4, background: 'red' } })
      .png()
      .toBuffer();
    expect(await uploadOk(one, alice, room, png, 'notes.txt', 'text/plain')).toMatchObject({
      contentType: 'image/png',
      width: 3,
      height: 3,
    });
  });

  it('refuses hostile names and bodies with 400s, never a 500', async () => {
    const { one, alice, room } = await setUp();
    const token = alice.auth.accessToken;
    const post = (body: string | FormData, contentType?: string) =>
      fetch(`${one.url}/api/rooms/${room.id}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...(contentType && { 'content-type': contentType }) },
        body,
      });
    expect((await post('{}', 'application/json')).status).toBe(400);
    expect((await post('garbage', 'multipart/form-data; boundary=zz')).status).toBe(400);
    const twoFiles = new FormData();
    twoFiles.append('file', new Blob(['a']), 'a');
    twoFiles.append('file', new Blob(['b']), 'b');
    expect((await post(twoFiles)).status).toBe(400);
    const wrongField = new FormData();
    wrongField.append('upload', new Blob(['a']), 'a');
    expect((await post(wrongField)).status).toBe(400);
    const named = await uploadOk(one, alice, room, randomFile(5), '../../etc/\u202epass\u2066wd.exe');
    expect(named.name).toBe('passwd.exe');
    // A control character in the part header is a malformed header, said so.
    expect(await upload(one.url, token, room.id, randomFile(5), 'bell\u0007.txt')).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION', fields: { file: [expect.stringContaining('malformed')] } },
    });
  });

  it('fuzzing: uploads with hostile names, claimed types and sizes get a 201 or a contract 4xx, and keep their bytes', async () => {
    const { one, two, alice, bob, room } = await setUp();
    const sizes = fc.oneof(
      fc.nat(2_000),
      fc.constantFrom(0, 1, MAX_BYTES - 1, MAX_BYTES, MAX_BYTES + 1, MAX_BYTES + 10_000, MAX_BYTES * 2),
    );
    const types = fc.oneof(
      fc.constantFrom('image/png', 'image/svg+xml', 'text/html', 'application/x-msdownload', ''),
      anyText(40),
    );
    await fc.assert(
      fc.asyncProperty(anyText(300), types, sizes, async (name, type, size) => {
        // Text, so no run can start with some format's magic number by chance: the type is always unknown.
        const bytes = Buffer.alloc(size, 'hostile bytes ');
        let answer: Awaited<ReturnType<typeof upload>>;
        try {
          answer = await upload(one.url, alice.auth.accessToken, room.id, bytes, name, type);
        } catch (error) {
          // undici refuses some names and types itself (e.g. a lone surrogate): nothing reached the
          // server. A TypeError from another realm (jest's vm), so by name; 'fetch failed' would be the server.
          expect(error).toMatchObject({ name: 'TypeError' });
          expect((error as Error).message).not.toBe('fetch failed');
          return;
        }
        assertContractHttpAnswer(answer);
        // Too large, unless refused first as malformed (a name that is no valid part header, or an
        // empty one, which busboy reads as a plain field).
        if (size > MAX_BYTES) expect([400, 413]).toContain(answer.status);
        if (answer.status !== 201) return;
        const attachment = answer.body as Attachment;
        expect(attachment.size).toBe(size);
        // eslint-disable-next-line no-control-regex
        expect(attachment.name).not.toMatch(/[/\\\u0000-\u001f\u202a-\u202e]/);
        expect(attachment.contentType).toBe('application/octet-stream');
        const served = await download(`${two.url}/api/attachments/${attachment.id}`, bearer(alice));
        expect(served.bytes.equals(bytes)).toBe(true);
        expect(served.headers.get('content-disposition')).toMatch(
          /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''/,
        );
      }),
      { numRuns: 40 },
    );
    expect((await download(`${two.url}/api/attachments/${randomUUID()}`, bearer(bob))).status).toBe(404);
  });

  it('deletes the files of a deleted message from storage', async () => {
    const { one, two, alice, bob, room } = await setUp();
    const attachment = await uploadOk(one, alice, room, await photoWithLocation(), 'gone.jpg');
    const socket = await suite.connect(alice, one);
    const { message } = await socket.send(room.id, 'soon gone', { attachmentIds: [attachment.id] });
    expect((await storedFor(alice.id)).chunks).toBe(2);
    const { message: deleted } = await socket.delete(message.id);
    expect(deleted.attachments).toBeUndefined();
    expect(await storedFor(alice.id)).toEqual({ rows: 0, chunks: 0 });
    expect((await download(`${two.url}/api/attachments/${attachment.id}`, bearer(bob))).status).toBe(404);
  });

  it("removes a deleted room's files: its rows go with it and their keys to the collector", async () => {
    const { one, alice, room } = await setUp();
    const sent = await uploadOk(one, alice, room, await photoWithLocation(), 'room.jpg');
    await (await suite.connect(alice, one)).send(room.id, 'in a doomed room', { attachmentIds: [sent.id] });
    await uploadOk(one, alice, room, randomFile(10), 'unsent.bin');
    expect(await storedFor(alice.id)).toEqual({ rows: 2, chunks: 3 });
    await alice.client.http.deleteRoom(room.id);
    expect((await storedFor(alice.id)).rows).toBe(0);
    await suite.apps[0].app.get(AttachmentCollector).collect();
    expect(await storedFor(alice.id)).toEqual({ rows: 0, chunks: 0 });
  });

  it('collects uploads never sent once the grace period is over, and keeps sent ones', async () => {
    const { one, alice, room } = await setUp();
    const unsent = await uploadOk(one, alice, room, randomFile(300_000), 'unsent.bin');
    const sent = await uploadOk(one, alice, room, randomFile(10), 'sent.bin');
    await (await suite.connect(alice, one)).send(room.id, 'kept', { attachmentIds: [sent.id] });
    const fresh = await uploadOk(one, alice, room, randomFile(10), 'fresh.bin');
    await suite.db.query(
      `UPDATE attachments SET created_at = now() - interval '2 days' WHERE id = ANY($1::uuid[])`,
      [[unsent.id, sent.id]],
    );
    await suite.apps[1].app.get(AttachmentCollector).collect();
    const left = await suite.db.query('SELECT id FROM attachments WHERE uploader_id = $1 ORDER BY name', [
      alice.id,
    ]);
    expect(left.rows.map((r) => r.id).sort()).toEqual([fresh.id, sent.id].sort());
    expect((await storedFor(alice.id)).chunks).toBe(2);
  });
});
