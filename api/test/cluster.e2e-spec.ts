import { io } from 'socket.io-client';

import type { Message } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { CLUSTER_START_TIMEOUT_MS, Cluster, startTestCluster } from './support/cluster';
import { EventRecorder } from './support/events';
import { TestUser, registerUser } from './support/users';

const ADAPTERS = ['redis', 'redis-sharded', 'redis-streams'] as const;

describe.each(ADAPTERS)('cluster of 3 behind nginx, %s adapter', (adapter) => {
  let cluster: Cluster;
  const sockets: ChatSocket[] = [];

  /** A socket of this user on a chosen instance (directly), or through nginx. */
  async function connect(user: TestUser, baseUrl: string, settings = {}): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl, token: user.auth.accessToken }).socket(settings);
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  beforeAll(async () => {
    cluster = await startTestCluster(3, adapter);
  }, CLUSTER_START_TIMEOUT_MS);
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => cluster?.close());

  it('serves metrics on each instance, never through the load balancer', async () => {
    for (const instance of cluster.instances) {
      const text = await (await fetch(`${instance.metricsUrl}/metrics`)).text();
      expect(text).toContain(`chat_adapter_info{adapter="${adapter}",instance="${instance.id}"} 1`);
    }
    expect((await fetch(`${cluster.url}/metrics`)).status).toBe(404);
  });

  it('carries messages, edits, typing, receipts and presence between instances', async () => {
    const [one, two] = cluster.instances;
    const alice = await registerUser(cluster.url, 'alice');
    const bob = await registerUser(cluster.url, 'bob');
    const room = await alice.client.http.createRoom({ name: 'Across', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);

    const aliceSocket = await connect(alice, one.url);
    const bobSocket = await connect(bob, two.url);
    expect([aliceSocket.instanceId, bobSocket.instanceId]).toEqual([one.id, two.id]);
    await aliceSocket.join(room.id);
    await bobSocket.join(room.id);
    const bobMessages = new EventRecorder(bobSocket, 'message:new');
    const bobUpdates = new EventRecorder(bobSocket, 'message:updated');
    const bobTyping = new EventRecorder(bobSocket, 'typing');
    const aliceReceipts = new EventRecorder(aliceSocket, 'receipt');
    const alicePresence = new EventRecorder(aliceSocket, 'presence');

    const { message } = await aliceSocket.send(room.id, 'from instance one');
    expect(await bobMessages.next((m) => m.id === message.id)).toMatchObject({ instanceId: one.id, seq: 1 });
    await aliceSocket.edit(message.id, 'edited on one');
    expect(await bobUpdates.next()).toMatchObject({ id: message.id, body: 'edited on one' });
    aliceSocket.typing(room.id, true);
    expect(await bobTyping.next()).toEqual({ roomId: room.id, userId: alice.id, isTyping: true });
    await bobSocket.markRead(room.id, 1);
    expect(await aliceReceipts.next()).toEqual({ roomId: room.id, userId: bob.id, seq: 1 });

    const carol = await registerUser(cluster.url, 'carol');
    await carol.client.http.joinRoom(room.id);
    const carolSocket = await connect(carol, cluster.instances[2].url);
    await alicePresence.next((p) => p.userId === carol.id && p.online, 'carol online');
    carolSocket.disconnect();
    await alicePresence.next((p) => p.userId === carol.id && !p.online, 'carol offline');
  });

  it('delivers every message of 4 concurrent senders on 3 instances exactly once, with contiguous seqs', async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => registerUser(cluster.url, 'sender')));
    const room = await users[0].client.http.createRoom({ name: 'Concurrent', visibility: 'public' });
    await Promise.all(users.slice(1).map((user) => user.client.http.joinRoom(room.id)));
    const userSockets = await Promise.all(
      users.map((user, i) => connect(user, cluster.instances[i % 3].url)),
    );
    await Promise.all(userSockets.map((socket) => socket.join(room.id)));
    const received = userSockets.map((socket) => new EventRecorder(socket, 'message:new'));

    const perSender = 20;
    const total = users.length * perSender;
    await Promise.all(
      userSockets.map((socket, s) =>
        Promise.all(Array.from({ length: perSender }, (_, i) => socket.send(room.id, `sender ${s} #${i}`))),
      ),
    );
    const expectedSeqs = Array.from({ length: total }, (_, i) => i + 1);
    for (const recorder of received) {
      await recorder.next((m) => m.seq === total, `seq ${total}`);
      expect(recorder.events.map((m) => m.seq)).toEqual(expectedSeqs);
    }
    const stored = await users[0].client.http.history(room.id, { after: 0, limit: 200 });
    expect(stored.messages.map((m) => m.seq)).toEqual(expectedSeqs);
  });

  it.each([['websocket'], ['polling'], ['polling', 'websocket']])(
    'works through nginx with transports %p (no "Session ID unknown")',
    async (...transports) => {
      const alice = await registerUser(cluster.url, 'lb');
      const room = await alice.client.http.createRoom({ name: 'Via nginx', visibility: 'public' });
      const socket = await connect(alice, cluster.url, { transports });
      await socket.join(room.id);
      const received = new EventRecorder(socket, 'message:new');
      for (let i = 0; i < 5; i++) await socket.send(room.id, `over ${transports.join('+')} ${i}`);
      await received.next((m) => m.seq === 5);
      expect(received.events.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(socket.connected).toBe(true);
    },
  );

  if (adapter === 'redis-streams') {
    it('recovers a briefly dropped connection with the missed events, without REST catch-up', async () => {
      const alice = await registerUser(cluster.url, 'recover');
      const bob = await registerUser(cluster.url, 'sender');
      const room = await alice.client.http.createRoom({ name: 'Recovery', visibility: 'public' });
      await bob.client.http.joinRoom(room.id);
      const bobSocket = await connect(bob, cluster.instances[1].url);
      await bobSocket.join(room.id);

      // A bare socket.io client: no SDK catch-up, so whatever arrives came through recovery.
      const raw = io(cluster.instances[0].url, {
        auth: { token: alice.auth.accessToken },
        transports: ['websocket'],
      });
      const messages: Message[] = [];
      let gotBoth: () => void;
      const bothArrived = new Promise<void>((resolve) => (gotBoth = resolve));
      raw.on('message:new', (message: Message) => {
        if (messages.push(message) === 2) gotBoth();
      });
      // Closed whatever happens: a client left reconnecting to a stopped cluster keeps jest alive.
      try {
        await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
        expect(raw.recovered).toBe(false);
        expect(await raw.timeout(5_000).emitWithAck('room:join', { roomId: room.id })).toMatchObject({
          ok: true,
        });

        const reconnected = new Promise<void>((resolve) => raw.io.once('reconnect', () => resolve()));
        raw.io.engine.close(); // the transport drops, as on a network blip; socket.io reconnects by itself
        await bobSocket.send(room.id, 'sent while alice was away');
        await bobSocket.send(room.id, 'and another');
        await reconnected;
        await Promise.race([
          bothArrived,
          new Promise((_, reject) => setTimeout(() => reject(new Error('not recovered')), 5_000)),
        ]);
        expect(raw.recovered).toBe(true);
        expect(messages.map((m) => m.body)).toEqual(['sent while alice was away', 'and another']);
      } finally {
        raw.close();
      }
    });
  }
});
