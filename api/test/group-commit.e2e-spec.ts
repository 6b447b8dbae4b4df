import { randomUUID } from 'node:crypto';

import type { Message, MessageSendResult } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, registerUser } from './support/users';

const SENDERS = 6;
const SENDS_PER_SENDER = 40;
const RESENDS_PER_SENDER = 10;

/**
 * Group commit under real concurrency: two instances on one database, six senders firing bursts at
 * three rooms without waiting for acks, resends racing their originals and an outsider mixed in.
 */
describe('message:send group commit (2 instances, one database)', () => {
  let apps: TestApp[];
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    const prefix = `${process.env[RUN_REDIS_PREFIX_VAR]}:gc-${randomUUID().slice(0, 8)}`;
    // Bursts far above the per-user message rate limit are the point here.
    const env = { REDIS_KEY_PREFIX: prefix, MESSAGE_RATE_LIMIT: '10000' };
    apps = [await startTestApp(env), await startTestApp(env)];
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all(apps.map((app) => app.close()));
  });

  async function connect(user: TestUser, app: TestApp): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket();
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  it('stores every acked message exactly once with contiguous seqs, and broadcasts each of them', async () => {
    const [one, two] = apps;
    const users = await Promise.all(Array.from({ length: SENDERS }, () => registerUser(one.url, 'gc')));
    const owner = users[0];
    const rooms = await Promise.all(
      ['gc-a', 'gc-b', 'gc-c'].map((name) => owner.client.http.createRoom({ name, visibility: 'public' })),
    );
    for (const user of users.slice(1)) for (const room of rooms) await user.client.http.joinRoom(room.id);
    const outsider = await registerUser(one.url, 'gc_out');

    // Each sender has a socket on each instance: bursts go through one, resends through the other.
    const userSockets = await Promise.all(users.map((user, i) => connect(user, i % 2 ? two : one)));
    const otherSockets = await Promise.all(users.map((user, i) => connect(user, i % 2 ? one : two)));
    for (const socket of [...userSockets, ...otherSockets])
      for (const room of rooms) await socket.join(room.id);
    const outsiderSocket = await connect(outsider, two);
    const heard = new EventRecorder(userSockets[0], 'message:new');

    // Every sender fires its whole burst in one tick; each message names its sender and position.
    const sends: { roomId: string; clientMsgId: string; ack: Promise<any> }[] = [];
    userSockets.forEach((socket, s) => {
      for (let n = 0; n < SENDS_PER_SENDER; n++) {
        const payload = {
          roomId: rooms[(s + n) % rooms.length].id,
          body: `${s}/${n}`,
          clientMsgId: `gc-${s}-${n}-${randomUUID().slice(0, 8)}`,
        };
        sends.push({ ...payload, ack: rawAck(socket, 'message:send', payload) });
        // A retry through the sender's other instance races the original: one stores, the other finds it.
        if (n < RESENDS_PER_SENDER) {
          sends.push({ ...payload, ack: rawAck(otherSockets[s], 'message:send', payload) });
        }
      }
    });
    const intrusion = rawAck(outsiderSocket, 'message:send', {
      roomId: rooms[0].id,
      body: 'not mine',
      clientMsgId: randomUUID(),
    });

    const acksByClientMsgId = new Map<string, MessageSendResult[]>();
    for (const send of sends) {
      const ack = await send.ack;
      expect(ack).toMatchObject({
        ok: true,
        message: { roomId: send.roomId, clientMsgId: send.clientMsgId },
      });
      acksByClientMsgId.set(send.clientMsgId, [...(acksByClientMsgId.get(send.clientMsgId) ?? []), ack]);
    }
    for (const [clientMsgId, both] of acksByClientMsgId) {
      const stored = both.filter((ack) => !ack.duplicate);
      expect({ clientMsgId, stored: stored.length }).toEqual({ clientMsgId, stored: 1 });
      expect(new Set(both.map((ack) => ack.message.id)).size).toBe(1);
    }
    const acks = [...acksByClientMsgId.values()].map(([first]) => first);
    expect(await intrusion).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    for (const room of rooms) {
      const stored = await allHistory(owner, room.id);
      const acked = acks.filter((ack) => ack.message.roomId === room.id);
      // Contiguous from 1, one row per acked message, each with the seq its ack announced.
      expect(stored.map((m) => m.seq)).toEqual(acked.map((_, i) => i + 1));
      expect(new Map(stored.map((m) => [m.id, m.seq]))).toEqual(
        new Map(acked.map((ack) => [ack.message.id, ack.message.seq])),
      );
      expect(stored.some((m) => m.body === 'not mine')).toBe(false);
    }

    // The member on instance one hears every stored message once, wherever it was sent.
    await heard.next(() => heard.events.length >= acks.length, 'every message:new');
    expect(heard.events.map((m) => m.id).sort()).toEqual(acks.map((ack) => ack.message.id).sort());

    // And the burst really was written in batches, not one transaction per message.
    const metrics = await (await fetch(`${one.metricsUrl}/metrics`)).text();
    const count = sumSeries(metrics, 'chat_message_batch_size_count');
    const single = sumSeries(metrics, 'chat_message_batch_size_bucket{le="1"');
    expect(count).toBeGreaterThan(single);
  });
});

async function allHistory(user: TestUser, roomId: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (let after = 0; ;) {
    const page = await user.client.http.history(roomId, { after, limit: 100 });
    messages.push(...page.messages);
    if (!page.hasMore) return messages;
    after = page.messages[page.messages.length - 1].seq;
  }
}

function sumSeries(metrics: string, prefix: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
