import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

import type { Message, Room } from '@chat/contracts';
import { ChatClient, ChatSocket, ChatSocketSettings } from '@chat/sdk';

import { EventRecorder } from '../support/events';
import { TestUser, registerUser } from '../support/users';

/**
 * The docker-compose deployment as a user runs it: `scripts/test-compose.sh` builds the images,
 * starts `up --scale api=3` and runs this file (never part of `npm test`) against the balancer's
 * published port. Everything goes through HAProxy from one host address, as browsers behind one NAT
 * (or behind Docker's port publishing) would. Docker is driven with its own CLI, as an operator would.
 */
const BASE_URL = process.env.COMPOSE_URL ?? 'http://127.0.0.1:8080';
const PROJECT = process.env.COMPOSE_PROJECT_NAME ?? 'chat-compose-test';
const ROOT = resolve(__dirname, '../../..');
const USERS = 8;
const LOAD_CLIENTS = 6;
const MESSAGES_PER_CLIENT = 10;
const TOTAL = LOAD_CLIENTS * MESSAGES_PER_CLIENT;
const CONTAINER_TEST_MS = 180_000;

const exec = promisify(execFile);

async function compose(...args: string[]): Promise<string> {
  const { stdout } = await exec('docker-compose', ['-p', PROJECT, ...args], { cwd: ROOT });
  return stdout;
}

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await exec('docker', args);
  return stdout.trim();
}

/** Replicas of the api service, by container id (12 characters, the container's hostname). */
async function runningReplicas({ stopped = false } = {}): Promise<string[]> {
  const ids = await docker(
    'ps',
    ...(stopped ? ['--all'] : []),
    '--quiet',
    '--filter',
    `label=com.docker.compose.project=${PROJECT}`,
    '--filter',
    'label=com.docker.compose.service=api',
  );
  return ids.split('\n').filter(Boolean).sort();
}

/** Polls until the probe returns a value, or fails after limitMs (support/cluster's would boot the app's config). */
async function eventually<T>(probe: () => Promise<T | false>, limitMs: number, label: string): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe().catch(() => false as const);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${limitMs} ms waiting for ${label}`);
    await new Promise((wake) => setTimeout(wake, 500));
  }
}

/** INSTANCE_ID defaults to `<hostname>-<pid>`; in a container the hostname is the container id. */
const replicaOf = (instanceId: string | null | undefined): string => (instanceId ?? '').split('-')[0];

describe('docker compose: api replicas behind HAProxy', () => {
  let users: TestUser[];
  const opened: ChatSocket[] = [];

  /** A public room every given user has joined. */
  async function roomOf(members: TestUser[], name: string): Promise<Room> {
    const room = await members[0].client.http.createRoom({ name, visibility: 'public' });
    await Promise.all(members.slice(1).map((user) => user.client.http.joinRoom(room.id)));
    return room;
  }

  async function connected(user: TestUser, settings: ChatSocketSettings = {}): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: BASE_URL, token: user.auth.accessToken }).socket({
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
      ...settings,
    });
    opened.push(socket);
    await socket.connect();
    return socket;
  }

  function countReconnects(socket: ChatSocket): { count: number } {
    const seen = { count: 0 };
    socket.onState((state) => {
      if (state === 'reconnecting') seen.count++;
    });
    return seen;
  }

  beforeAll(async () => {
    users = [];
    // One after another: registrations from one address, as the test's clients all are.
    for (let i = 0; i < USERS; i++) users.push(await registerUser(BASE_URL, 'compose'));
  });

  afterEach(() => {
    for (const socket of opened.splice(0)) socket.disconnect();
  });

  it('/api/stats lists one instance per running replica (3)', async () => {
    const replicas = await runningReplicas();
    expect(replicas).toHaveLength(3);
    const stats = await new ChatClient({ baseUrl: BASE_URL }).http.stats();
    expect(stats.instances.map((instance) => replicaOf(instance.id)).sort()).toEqual(replicas);
  });

  it('long-polling clients behind one address spread over the replicas and keep their sessions', async () => {
    const members = users.slice(0, LOAD_CLIENTS);
    const room = await roomOf(members, 'Polling');
    const sockets: ChatSocket[] = [];
    // In turn, so each one's held poll counts for the balancer's least-connections choice.
    for (const user of members) {
      const socket = await connected(user, { transports: ['polling'], withCredentials: true });
      await socket.join(room.id);
      sockets.push(socket);
    }
    const placed = sockets.map((socket) => socket.instanceId);
    expect(new Set(placed).size).toBeGreaterThan(1);

    // Every poll of a session must reach the replica holding it; one that did not would be refused
    // ("Session ID unknown") and the client would reconnect.
    const reconnects = sockets.map(countReconnects);
    const received = sockets.map((socket) => new EventRecorder(socket, 'message:new'));
    const sent = await Promise.all(sockets.map((socket, i) => socket.send(room.id, `polling ${i}`)));
    for (const recorder of received) {
      for (const { message } of sent)
        await recorder.next((m) => m.id === message.id, `message ${message.seq}`);
    }
    expect(reconnects.map((r) => r.count)).toEqual(sockets.map(() => 0));
    expect(sockets.map((socket) => socket.instanceId)).toEqual(placed);
  });

  it('a conversation crosses replicas', async () => {
    const [alice, bob] = users;
    const room = await roomOf([alice, bob], 'Across');
    const aliceSocket = await connected(alice);
    // Least connections puts Bob elsewhere, unless connections just closed are still being counted.
    let bobSocket = await connected(bob);
    for (let attempt = 0; attempt < 5 && bobSocket.instanceId === aliceSocket.instanceId; attempt++) {
      bobSocket.disconnect();
      bobSocket = await connected(bob);
    }
    expect(bobSocket.instanceId).not.toBe(aliceSocket.instanceId);
    await aliceSocket.join(room.id);
    await bobSocket.join(room.id);
    const bobHears = new EventRecorder(bobSocket, 'message:new');
    const aliceHears = new EventRecorder(aliceSocket, 'message:new');

    const { message: hello } = await aliceSocket.send(room.id, 'hello from one replica');
    const heardByBob = await bobHears.next((m) => m.id === hello.id, 'hello');
    const { message: reply } = await bobSocket.send(room.id, 'hi from another');
    const heardByAlice = await aliceHears.next((m) => m.id === reply.id, 'reply');

    expect(heardByBob.instanceId).toBe(aliceSocket.instanceId);
    expect(heardByAlice.instanceId).toBe(bobSocket.instanceId);
  });

  it(
    'docker kill of one replica under load: no acked message lost, its clients reconnect to the others',
    async () => {
      const members = users.slice(0, LOAD_CLIENTS);
      const room = await roomOf(members, 'Kill');
      const sockets = await Promise.all(members.map((user) => connected(user)));
      for (const socket of sockets) await socket.join(room.id, { sinceSeq: 0 });
      const received = sockets.map((socket) => new EventRecorder(socket, 'message:new'));
      const reconnects = sockets.map(countReconnects);

      const counts = new Map<string, number>();
      for (const socket of sockets) counts.set(socket.instanceId!, (counts.get(socket.instanceId!) ?? 0) + 1);
      const victim = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
      const movers = sockets
        .map((socket, i) => (socket.instanceId === victim ? i : -1))
        .filter((i) => i >= 0);

      let acks = 0;
      let kill: Promise<string> = Promise.resolve('');
      let killedAt = 0;
      const acked = (
        await Promise.all(
          sockets.map(async (socket, m) => {
            const ids: string[] = [];
            for (let i = 0; i < MESSAGES_PER_CLIENT; i++) {
              const { message } = await socket.send(room.id, `member ${m} message ${i}`, {
                retries: 30,
                timeoutMs: 3_000,
              });
              ids.push(message.clientMsgId);
              if (++acks === TOTAL / 3) {
                killedAt = Date.now();
                kill = docker('kill', replicaOf(victim));
              }
            }
            return ids;
          }),
        )
      ).flat();
      await kill;

      expect(acked).toHaveLength(TOTAL);
      const stored: Message[] = [];
      for (let page = { hasMore: true, messages: [] as Message[] }; page.hasMore;) {
        page = await members[0].client.http.history(room.id, { after: stored.at(-1)?.seq ?? 0, limit: 100 });
        stored.push(...page.messages);
      }
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
      expect(stored.map((m) => m.clientMsgId).sort()).toEqual([...acked].sort());
      for (const recorder of received) {
        await recorder.next((m) => m.seq === TOTAL, `seq ${TOTAL}`);
        expect(recorder.events.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
      }
      expect(movers.length).toBeGreaterThan(0);
      for (const i of movers) {
        expect(reconnects[i].count).toBeGreaterThan(0);
        expect(sockets[i].connected).toBe(true);
        expect(sockets[i].instanceId).not.toBe(victim);
      }
      await eventually(
        async () => {
          const stats = await new ChatClient({ baseUrl: BASE_URL }).http.stats();
          return !stats.instances.some((instance) => instance.id === victim);
        },
        30_000,
        `${victim} to leave /api/stats`,
      );
      console.log(`[measured] ${victim} left /api/stats ${Date.now() - killedAt} ms after docker kill`);
    },
    CONTAINER_TEST_MS,
  );

  it(
    'a replica whose process dies is restarted by its restart policy',
    async () => {
      const [replica] = await runningReplicas();
      const pid = await docker('inspect', '--format', '{{.State.Pid}}', replica);
      process.kill(Number(pid), 'SIGKILL');
      await eventually(
        async () => {
          const state = await docker(
            'inspect',
            '--format',
            '{{.RestartCount}} {{.State.Health.Status}}',
            replica,
          );
          return state === '1 healthy';
        },
        90_000,
        `${replica} restarted and healthy`,
      );
    },
    CONTAINER_TEST_MS,
  );

  it(
    'up --scale api=5 while running: new connections reach the new replicas',
    async () => {
      const before = await runningReplicas({ stopped: true });
      // Connections already held by the running replicas, as in a live deployment.
      for (const user of users.slice(0, LOAD_CLIENTS)) await connected(user);

      await compose('up', '--detach', '--no-build', '--no-recreate', '--scale', 'api=5');
      const after = await eventually(
        async () => {
          const replicas = await runningReplicas();
          const stats = await new ChatClient({ baseUrl: BASE_URL }).http.stats();
          return replicas.length === 5 && stats.instances.length === 5 && replicas;
        },
        120_000,
        '5 replicas running and in /api/stats',
      );
      const added = after.filter((replica) => !before.includes(replica));
      expect(added).toHaveLength(2);

      // /api/stats lists a replica as soon as it registers, which can be before the balancer has
      // resolved it and seen its health check pass: new connections, one at a time, for up to 30 s,
      // until both new replicas have been given one.
      const reached = new Set<string>();
      const deadline = Date.now() + 30_000;
      for (let attempt = 0; reached.size < added.length && Date.now() < deadline; attempt++) {
        const socket = await connected(users[LOAD_CLIENTS + (attempt % (USERS - LOAD_CLIENTS))]);
        const replica = replicaOf(socket.instanceId);
        if (added.includes(replica)) {
          reached.add(replica);
        } else {
          socket.disconnect();
          await new Promise((wake) => setTimeout(wake, 250));
        }
      }
      expect([...reached].sort()).toEqual(added);
    },
    CONTAINER_TEST_MS,
  );
});
