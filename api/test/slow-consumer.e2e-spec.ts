import { Socket, io } from 'socket.io-client';

import type { Message, Room } from '@chat/contracts';
import type { ChatSocket } from '@chat/sdk';

import { eventually } from './support/cluster';
import { scrapeMetric } from './support/metrics';
import { RawSocketIoClient } from './support/raw-socket-io-client';
import { TestApp, startTestApp } from './support/test-app';
import { TestUser, registerUser } from './support/users';

/** Small, so the test needs little traffic once the kernel's socket buffers (a few MB) are full. */
const MAX_BUFFERED_BYTES = 256 * 1024;
/** Each message:new is ~4 KB on the wire. */
const BODY = 'x'.repeat(3_900);
/** ~20 MB of output for the slow socket: far more than kernel buffers and the limit. The flood stops here at the latest. */
const MAX_MESSAGES = 5_000;
const SENDERS_IN_PARALLEL = 8;
const METRICS_EVERY = 50;

describe('a client that stops reading (slow consumer)', () => {
  let app: TestApp;
  let room: Room;
  let sender: TestUser;
  let senderSocket: ChatSocket;
  let slow: RawSocketIoClient;
  let reader: Socket;
  const received: Message[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      SOCKET_MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES),
      // The flood must not be throttled.
      MESSAGE_RATE_LIMIT: '1000000',
      MESSAGE_BURST: '1000000',
    });
    sender = await registerUser(app.url, 'flooder');
    const slowUser = await registerUser(app.url, 'stalled');
    const readerUser = await registerUser(app.url, 'reader');
    room = await sender.client.http.createRoom({ name: 'Flood', visibility: 'public' });
    await slowUser.client.http.joinRoom(room.id);
    await readerUser.client.http.joinRoom(room.id);

    senderSocket = sender.client.socket();
    await senderSocket.connect();
    await senderSocket.join(room.id);

    // A bare client: what it records is exactly what was delivered live, no catch-up from history.
    reader = io(app.url, { auth: { token: readerUser.auth.accessToken }, transports: ['websocket'] });
    reader.on('message:new', (message: Message) => received.push(message));
    await new Promise<void>((resolve) => reader.once('connect', () => resolve()));
    expect(await reader.timeout(5_000).emitWithAck('room:join', { roomId: room.id })).toMatchObject({
      ok: true,
    });

    slow = await RawSocketIoClient.connect(app.url, slowUser.auth.accessToken);
    expect(await slow.emitWithAck('room:join', { roomId: room.id })).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    slow?.close();
    reader?.close();
    senderSocket?.disconnect();
    await app?.close();
  });

  const metric = (name: string) => scrapeMetric(app.metricsUrl, name, { instance: app.instanceId });

  it('is disconnected by the server once its backlog passes the limit; the others get every message', async () => {
    expect(await metric('chat_connections')).toBe(3);
    expect(await metric('chat_slow_consumer_disconnects_total')).toBe(0);

    slow.stopReading();
    let sent = 0;
    let disconnected = false;
    const flood = async () => {
      while (!disconnected && sent < MAX_MESSAGES) {
        sent++;
        await senderSocket.send(room.id, BODY, { retries: 0, timeoutMs: 20_000 });
        if (sent % METRICS_EVERY === 0) {
          disconnected = (await metric('chat_slow_consumer_disconnects_total'))! > 0;
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS_IN_PARALLEL }, flood));
    console.log(`[measured] flood stopped after ${sent} messages of ~4 KB to the stalled socket`);

    expect(await metric('chat_slow_consumer_disconnects_total')).toBe(1);
    expect(await metric('chat_connections')).toBe(2);
    expect(reader.connected).toBe(true);

    // The member who reads got every message live, once each (concurrent batches may broadcast out
    // of seq order; ordering is the client's job).
    await eventually(async () => received.length >= sent, 10_000, `${sent} messages at the reader`);
    const seqs = received.map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: sent }, (_, i) => i + 1));

    // Presence agrees: the instance no longer counts the slow socket.
    const stats = await sender.client.http.stats();
    expect(stats.instances.find((instance) => instance.id === app.instanceId)?.connections).toBe(2);
  }, 120_000);
});
