import { Client } from 'pg';

import type { ClusterStats } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import {
  CLUSTER_START_TIMEOUT_MS,
  Cluster,
  ClusterInstance,
  eventually,
  startTestCluster,
} from './support/cluster';
import { EventRecorder } from './support/events';
import { RUN_DATABASE_URL_VAR } from './support/test-env';
import { TestUser, registerUser } from './support/users';

const CLIENTS = 6;
const MESSAGES_PER_CLIENT = 10;
const TOTAL = CLIENTS * MESSAGES_PER_CLIENT;
const FAILOVER_TEST_MS = 120_000;

interface Member {
  user: TestUser;
  socket: ChatSocket;
  received: EventRecorder<'message:new'>;
}

/**
 * Clients reach the cluster through nginx from different loopback addresses (127.0.0.2…), so the
 * sticky hash spreads them over the instances, as real clients with their own addresses would be.
 */
async function joinedMembers(cluster: Cluster): Promise<{ roomId: string; members: Member[] }> {
  const users = await Promise.all(
    Array.from({ length: CLIENTS }, () => registerUser(cluster.url, 'failover')),
  );
  const room = await users[0].client.http.createRoom({ name: 'Failover', visibility: 'public' });
  await Promise.all(users.slice(1).map((user) => user.client.http.joinRoom(room.id)));
  const members = await Promise.all(
    users.map(async (user, i) => {
      const socket = new ChatClient({ baseUrl: cluster.url, token: user.auth.accessToken }).socket({
        localAddress: `127.0.0.${i + 2}`,
        transports: ['websocket'],
        reconnectionDelay: 200,
        reconnectionDelayMax: 1_000,
      });
      await socket.connect();
      await socket.join(room.id, { sinceSeq: 0 });
      return { user, socket, received: new EventRecorder(socket, 'message:new') };
    }),
  );
  return { roomId: room.id, members };
}

/** Every member sends MESSAGES_PER_CLIENT messages one after another, retrying through failures. */
function sendAll(roomId: string, members: Member[], onAck: () => void): Promise<string[][]> {
  return Promise.all(
    members.map(async ({ socket }, m) => {
      const acked: string[] = [];
      for (let i = 0; i < MESSAGES_PER_CLIENT; i++) {
        const { message } = await socket.send(roomId, `member ${m} message ${i}`, {
          retries: 30,
          timeoutMs: 3_000,
        });
        acked.push(message.clientMsgId);
        onAck();
      }
      return acked;
    }),
  );
}

async function expectStoredOnceAndContiguous(roomId: string, acked: string[]) {
  const db = new Client({ connectionString: process.env[RUN_DATABASE_URL_VAR] });
  await db.connect();
  try {
    const { rows } = await db.query<{ seq: string; client_msg_id: string }>(
      'SELECT seq, client_msg_id FROM messages WHERE room_id = $1 ORDER BY seq',
      [roomId],
    );
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    expect(rows.map((row) => row.client_msg_id).sort()).toEqual([...acked].sort());
  } finally {
    await db.end();
  }
}

async function expectEveryMemberHoldsEverything(members: Member[]) {
  for (const { received } of members) {
    await received.next((m) => m.seq === TOTAL, `seq ${TOTAL}`);
    expect(received.events.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
  }
}

function busiestInstance(cluster: Cluster, members: Member[]): ClusterInstance {
  const counts = new Map<string, number>();
  for (const { socket } of members) counts.set(socket.instanceId!, (counts.get(socket.instanceId!) ?? 0) + 1);
  const [id] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return cluster.instances.find((instance) => instance.id === id)!;
}

describe('losing an instance under load (3 instances behind nginx)', () => {
  let cluster: Cluster;
  let members: Member[] = [];

  beforeEach(async () => {
    cluster = await startTestCluster(3, 'redis');
  }, CLUSTER_START_TIMEOUT_MS);
  afterEach(async () => {
    for (const { socket } of members) socket.disconnect();
    members = [];
    await cluster.close();
  });

  it(
    'kill -9: every acked message is stored once, every member catches up, the dead instance leaves stats',
    async () => {
      const setup = await joinedMembers(cluster);
      members = setup.members;
      const victim = busiestInstance(cluster, members);
      expect(new Set(members.map((m) => m.socket.instanceId)).size).toBeGreaterThan(1);

      let acks = 0;
      let crashedAt = 0;
      let crash: Promise<void> = Promise.resolve();
      const sending = sendAll(setup.roomId, members, () => {
        if (++acks === TOTAL / 3) {
          crashedAt = Date.now();
          crash = cluster.crash(victim);
        }
      });
      const acked = (await sending).flat();
      await crash;

      expect(acked).toHaveLength(TOTAL);
      await expectStoredOnceAndContiguous(setup.roomId, acked);
      await expectEveryMemberHoldsEverything(members);
      for (const { socket } of members) expect(socket.instanceId).not.toBe(victim.id);

      const stats = await eventually(
        async () => {
          const current = await new ChatClient({ baseUrl: cluster.url }).http.stats();
          return !current.instances.some((instance) => instance.id === victim.id) && current;
        },
        20_000 - (Date.now() - crashedAt),
        `${victim.id} to leave /api/stats`,
      );
      console.log(`[measured] ${victim.id} left /api/stats ${Date.now() - crashedAt} ms after kill -9`);
      expect((stats as ClusterStats).instances.map((instance) => instance.id).sort()).toEqual(
        cluster.instances.filter((instance) => instance !== victim).map((instance) => instance.id),
      );
    },
    FAILOVER_TEST_MS,
  );

  it(
    'SIGTERM: the instance drains and exits, its clients move to the others and nothing is lost',
    async () => {
      const setup = await joinedMembers(cluster);
      members = setup.members;
      const victim = busiestInstance(cluster, members);
      const movers = members.filter((m) => m.socket.instanceId === victim.id);

      let acks = 0;
      let stopping: Promise<void> = Promise.resolve();
      const sending = sendAll(setup.roomId, members, () => {
        if (++acks === TOTAL / 3) stopping = cluster.stop(victim, 'SIGTERM');
      });
      const acked = (await sending).flat();
      await stopping;

      await expectStoredOnceAndContiguous(setup.roomId, acked);
      await expectEveryMemberHoldsEverything(members);
      for (const { socket } of movers) {
        expect(socket.connected).toBe(true);
        expect(socket.instanceId).not.toBe(victim.id);
      }
      const stats = await new ChatClient({ baseUrl: cluster.url }).http.stats();
      expect(stats.instances.map((instance) => instance.id)).not.toContain(victim.id);
    },
    FAILOVER_TEST_MS,
  );
});
