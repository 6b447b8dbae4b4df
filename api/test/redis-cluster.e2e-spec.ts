import { randomUUID } from 'node:crypto';
import { setTimeout as pace } from 'node:timers/promises';
import { Client } from 'pg';

import { Message, channelOfRoom } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { eventually } from './support/cluster';
import { EventRecorder } from './support/events';
import { TestRedisCluster } from './support/redis-cluster';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR, RUN_REDIS_CLUSTER_VAR, RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, rawRequest, registerUser } from './support/users';

const SENDERS = 3;
const RECEIVERS = 2;
/** Each sender's pause between two messages: about 60 messages a second in all. */
const SEND_INTERVAL_MS = 50;
/** Bounds every sender even if the test's conditions were never met. */
const MAX_MESSAGES_PER_SENDER = 1_500;
const FAILOVER_TEST_MS = 180_000;

/**
 * Two instances on a real Redis Cluster (3 masters, 3 replicas, on loopback) through
 * REDIS_CLUSTER_NODES: the sharded adapter carries room events, and presence, revocations, rate and
 * login counters live in the cluster. The cluster is made by the suite and torn down at its end.
 */
describe('on a Redis Cluster (3 masters + 3 replicas, 2 instances)', () => {
  let redis: TestRedisCluster;
  let one: TestApp;
  let two: TestApp;
  const prefix = `${process.env[RUN_REDIS_PREFIX_VAR]}:rc-${randomUUID().slice(0, 8)}`;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    redis = await TestRedisCluster.start();
    const env = {
      REDIS_URL: undefined,
      REDIS_CLUSTER_NODES: redis.seeds,
      REDIS_KEY_PREFIX: prefix,
      // The failover test sends about 60 messages a second from 3 users.
      MESSAGE_RATE_LIMIT: '10000',
      MESSAGE_BURST: '10000',
    };
    one = await startTestApp(env);
    two = await startTestApp(env);
    // Every app the suites required at the end start uses the cluster too.
    process.env[RUN_REDIS_CLUSTER_VAR] = redis.seeds;
  }, 60_000);

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    delete process.env[RUN_REDIS_CLUSTER_VAR];
    await one?.close();
    await two?.close();
    await redis?.close();
  });

  function connect(app: TestApp, user: TestUser, reconnect = false): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket(
      reconnect
        ? { transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 1_000 }
        : { reconnection: false },
    );
    sockets.push(socket);
    return socket.connect().then(() => socket);
  }

  /** The sharded adapter's channel of a room (channelPrefix `<prefix>:sio`, namespace `/`). */
  const roomChannel = (roomId: string) => `${prefix}:sio#/#${channelOfRoom(roomId)}#`;

  it('a conversation crosses instances; presence and /api/stats count both instances', async () => {
    const alice = await registerUser(one.url, 'rc');
    const bob = await registerUser(two.url, 'rc');
    const room = await alice.client.http.createRoom({ name: 'Cluster', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);

    const aliceSocket = await connect(one, alice);
    await aliceSocket.join(room.id);
    const presence = new EventRecorder(aliceSocket, 'presence');
    const bobSocket = await connect(two, bob);
    await presence.next((p) => p.userId === bob.id && p.online, 'bob online (from the other instance)');
    const joined = await bobSocket.join(room.id);
    expect(new Set(joined.onlineMemberIds)).toEqual(new Set([alice.id, bob.id]));

    const toBob = new EventRecorder(bobSocket, 'message:new');
    const toAlice = new EventRecorder(aliceSocket, 'message:new');
    await aliceSocket.send(room.id, 'hello from instance one');
    expect(await toBob.next((m) => m.seq === 1, 'seq 1 at bob')).toMatchObject({
      body: 'hello from instance one',
      instanceId: one.instanceId,
    });
    await bobSocket.send(room.id, 'hello from instance two');
    expect(await toAlice.next((m) => m.seq === 2, 'seq 2 at alice')).toMatchObject({
      body: 'hello from instance two',
      instanceId: two.instanceId,
    });

    const stats = await new ChatClient({ baseUrl: one.url }).http.stats();
    expect(stats.instances.map((instance) => instance.id).sort()).toEqual(
      [one.instanceId, two.instanceId].sort(),
    );
    expect(stats.onlineUsers).toBeGreaterThanOrEqual(2);
    expect((await alice.client.http.members(room.id)).find((m) => m.user.id === bob.id)?.online).toBe(true);

    bobSocket.disconnect();
    await presence.next((p) => p.userId === bob.id && !p.online, 'bob offline');
  });

  it('each room is its own sharded channel, and the rooms spread over the masters', async () => {
    const alice = await registerUser(one.url, 'rc');
    const socket = await connect(two, alice);
    const rooms = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        alice.client.http.createRoom({ name: `Shard ${i}`, visibility: 'public' }),
      ),
    );
    for (const room of rooms) await socket.join(room.id);

    const mastersUsed = new Set<number>();
    for (const room of rooms) {
      const master = await redis.masterOfSlot(await redis.slotOf(roomChannel(room.id)));
      const channels = (await redis.command(
        master.port,
        'PUBSUB',
        'SHARDCHANNELS',
        `${prefix}:sio#*`,
      )) as string[];
      expect(channels).toContain(roomChannel(room.id));
      mastersUsed.add(master.port);
    }
    expect(mastersUsed.size).toBeGreaterThan(1);
  });

  it('logout revokes the token on every instance and ends its sockets on both', async () => {
    const alice = await registerUser(one.url, 'rc');
    const onOne = await connect(one, alice);
    const onTwo = await connect(two, alice);
    const ended = [new EventRecorder(onOne, 'session:ended'), new EventRecorder(onTwo, 'session:ended')];

    await alice.client.http.logout();

    for (const recorder of ended) expect(await recorder.next()).toMatchObject({ reason: 'logged_out' });
    const refused = await rawRequest(two.url, 'GET', '/api/rooms', { token: alice.auth.accessToken });
    expect(refused.status).toBe(401);
  });

  // The other suites that use Redis for more than the adapter, unchanged, on the cluster: every key
  // their features touch (presence, rate budgets, sessions, revocations) must work there.
  describe('the chat suite, on the Redis Cluster', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./chat.e2e-spec');
  });

  describe('the sessions suite, on the Redis Cluster', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./sessions.e2e-spec');
  });

  // Last: a killed master leaves the cluster with one replica fewer, and a slow failover on a loaded
  // machine must not eat into the time of the suites above. (It once had to run before them: the
  // in-process apps of those suites, once closed, broke token checks on this suite's instances — see
  // BearerAuth.)
  it(
    'a master killed under load: its replica takes over, no acked message is lost, delivery resumes',
    async () => {
      const users = await Promise.all(
        Array.from({ length: SENDERS + RECEIVERS }, () => registerUser(one.url, 'rcfail')),
      );
      const room = await users[0].client.http.createRoom({ name: 'Failover', visibility: 'public' });
      await Promise.all(users.slice(1).map((user) => user.client.http.joinRoom(room.id)));

      // Senders on instance one, receivers on instance two: every delivery crosses the cluster.
      const senders = await Promise.all(users.slice(0, SENDERS).map((user) => connect(one, user, true)));
      const receivers = await Promise.all(users.slice(SENDERS).map((user) => connect(two, user, true)));
      for (const socket of [...senders, ...receivers]) await socket.join(room.id, { sinceSeq: 0 });
      const received = receivers.map((socket) => new EventRecorder(socket, 'message:new'));
      // Live arrivals only (the SDK's events also carry what it fills from history).
      const arrivals: number[][] = receivers.map(() => []);
      receivers.forEach((socket, i) =>
        socket.socket.on('message:new' as never, (() => arrivals[i].push(Date.now())) as never),
      );
      const liveAfter = (since: number, count: number) =>
        arrivals.every((times) => times.filter((t) => t > since).length >= count);

      const victim = await redis.masterOfSlot(await redis.slotOf(roomChannel(room.id)));
      let stopping = false;
      const ackedAt: number[] = [];
      const sending = senders.map(async (socket, s) => {
        const acked: Message[] = [];
        for (let n = 0; !stopping && n < MAX_MESSAGES_PER_SENDER; n++) {
          const { message } = await socket.send(room.id, `sender ${s} message ${n}`, {
            retries: 30,
            timeoutMs: 3_000,
          });
          acked.push(message);
          ackedAt.push(Date.now());
          await pace(SEND_INTERVAL_MS);
        }
        return acked;
      });

      try {
        await eventually(async () => liveAfter(0, 30), 20_000, 'live deliveries before the kill');
        const killedAt = Date.now();
        await redis.kill(victim.port);
        const promoted = await eventually(
          async () => {
            const master = await redis.masterOfSlot(await redis.slotOf(roomChannel(room.id)));
            return master.port !== victim.port && (await redis.isHealthy()) && master;
          },
          60_000,
          "the killed master's replica to be promoted",
        );
        const promotedAt = Date.now();
        await eventually(async () => liveAfter(promotedAt, 1), 30_000, 'live delivery after the promotion');
        const resumedAt = Date.now();
        await eventually(async () => liveAfter(resumedAt, 20), 20_000, 'steady live delivery again');
        stopping = true;
        const acked = (await Promise.all(sending)).flat();

        // Stored exactly once each, in one gapless sequence.
        const db = new Client({ connectionString: process.env[RUN_DATABASE_URL_VAR] });
        await db.connect();
        try {
          const { rows } = await db.query<{ seq: string; client_msg_id: string }>(
            'SELECT seq, client_msg_id FROM messages WHERE room_id = $1 ORDER BY seq',
            [room.id],
          );
          expect(rows.map((row) => Number(row.seq))).toEqual(acked.map((_, i) => i + 1));
          expect(rows.map((row) => row.client_msg_id).sort()).toEqual(acked.map((m) => m.clientMsgId).sort());
        } finally {
          await db.end();
        }
        // Every receiver holds every message once, in order (live, or filled from history).
        for (const recorder of received) {
          await eventually(
            async () => recorder.events.some((m) => m.seq === acked.length),
            20_000,
            `seq ${acked.length} at a receiver`,
          );
          expect(recorder.events.map((m) => m.seq)).toEqual(acked.map((_, i) => i + 1));
        }

        const pause = Math.max(
          ...arrivals.map((times) =>
            times
              .filter((t) => t >= killedAt - 1_000 && t <= resumedAt)
              .reduce((longest, t, i, all) => (i === 0 ? longest : Math.max(longest, t - all[i - 1])), 0),
          ),
        );
        console.log(
          `[measured] Redis Cluster master failover: replica promoted ${promotedAt - killedAt} ms after kill -9 ` +
            `(port ${victim.port} → ${promoted.port}); longest pause in live cross-instance delivery ${pause} ms; ` +
            `${acked.length} messages acked (${ackedAt.filter((t) => t > killedAt && t < resumedAt).length} of them ` +
            `between the kill and the resumed delivery), all stored once and delivered`,
        );
      } finally {
        stopping = true;
        await Promise.allSettled(sending);
      }
    },
    FAILOVER_TEST_MS,
  );
});
