import * as argon2 from 'argon2';
import { sign } from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import { Limits, Message } from '@chat/contracts';
import { ChatClient, ChatError, ChatSocket } from '@chat/sdk';

import { Cluster, ClusterInstance, startTestCluster } from './support/cluster';
import { TEST_JWT_SECRET } from './support/test-app';
import { RUN_DATABASE_URL_VAR } from './support/test-env';
import { uniqueName } from './support/users';

const INSTANCES = 3;
const CLIENTS = 500;
const ROOM_SIZE = 10;
const SEND_FOR_MS = 120_000;
/** Each client sends one message per interval (about 250 msg/s in all, 2,500 deliveries/s). */
const SEND_INTERVAL_MS = 2_000;
/** Into the run: one instance drained (SIGTERM) and restarted; later another killed (-9) and restarted. */
const GRACEFUL_RESTART_AT_MS = 30_000;
const CRASH_AT_MS = 75_000;
/** Generous: a send must get through a restart; a give-up fails the test. */
const SEND_OPTIONS = { retries: 20, timeoutMs: 10_000 };
const CONNECTS_IN_FLIGHT = 25;
const DELIVERY_WAIT_MS = 60_000;
const SETUP_TIMEOUT_MS = 120_000;
const SOAK_TIMEOUT_MS = 6 * 60_000;
/** How many problems of each kind the failure message lists. */
const PROBLEMS_SHOWN = 20;

/** One seeded user: its room and a token. */
interface Seat {
  userId: string;
  username: string;
  roomId: string;
  token: string;
}

interface Ack {
  id: string;
  clientMsgId: string;
  seq: number;
  duplicate: boolean;
  /** From the first attempt to the ack, retries included. */
  ms: number;
  at: number;
}

/**
 * Users, rooms of ROOM_SIZE and memberships in three statements: registering 500 users over REST
 * spends ~9 s on argon2 on two cores (measured: 96 registrations in 1.6–1.7 s at 4, 8 or 16 in
 * parallel), for nothing this test checks. They share one real hash, so they are real accounts;
 * tokens are signed as the API signs them.
 */
async function seedUsersInRooms(): Promise<Seat[]> {
  const db = new Client({ connectionString: process.env[RUN_DATABASE_URL_VAR] });
  await db.connect();
  try {
    const passwordHash = await argon2.hash('correct horse battery');
    const userIds = Array.from({ length: CLIENTS }, () => randomUUID());
    const names = userIds.map(() => uniqueName('soak'));
    const roomIds = Array.from({ length: Math.ceil(CLIENTS / ROOM_SIZE) }, () => randomUUID());
    const roomOf = (i: number) => roomIds[Math.floor(i / ROOM_SIZE)];
    await db.query(
      `INSERT INTO users (id, username, password_hash, display_name)
       SELECT id, name, $3, name FROM unnest($1::uuid[], $2::text[]) AS t(id, name)`,
      [userIds, names, passwordHash],
    );
    await db.query(
      `INSERT INTO rooms (id, name, kind, visibility, owner_id)
       SELECT id, 'Soak', 'group', 'public', owner FROM unnest($1::uuid[], $2::uuid[]) AS t(id, owner)`,
      [roomIds, roomIds.map((_, r) => userIds[r * ROOM_SIZE])],
    );
    await db.query(
      `INSERT INTO memberships (room_id, user_id, role)
       SELECT room, member, role FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(room, member, role)`,
      [
        userIds.map((_, i) => roomOf(i)),
        userIds,
        userIds.map((_, i) => (i % ROOM_SIZE ? 'member' : 'owner')),
      ],
    );
    return userIds.map((userId, i) => ({
      userId,
      username: names[i],
      roomId: roomOf(i),
      token: sign({ sub: userId, username: names[i] }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        expiresIn: '1h',
        jwtid: randomUUID(),
      }),
    }));
  } finally {
    await db.end();
  }
}

/** Waits until a point of the test's schedule: the load's pace and the restarts, never a wait for state. */
const until = (time: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));

/** One simulated user: a socket joined to its room, what it sent and had acked, what it was delivered. */
class SoakClient {
  readonly client: ChatClient;
  readonly socket: ChatSocket;
  readonly acks: Ack[] = [];
  readonly failedSends: { clientMsgId: string; code: string }[] = [];
  /** Ids of `message:new` in the order delivered; problems noticed on arrival. */
  readonly delivered: string[] = [];
  readonly deliveryProblems: string[] = [];
  readonly sdkErrors: string[] = [];
  readonly instancesSeen = new Set<string>();
  lastDeliveryAt = 0;
  private onlineTimes = 0;
  private closed = false;
  private waiter: { count: number; resolve: () => void } | null = null;

  constructor(
    readonly seat: Seat,
    baseUrl: string,
    localAddress: string,
  ) {
    this.client = new ChatClient({ baseUrl, token: seat.token });
    this.socket = this.client.socket({
      localAddress,
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 2_000,
    });
    this.socket.on('message:new', (message) => this.receive(message));
    this.socket.on('session', (session) => this.instancesSeen.add(session.instanceId));
    this.socket.onState((state) => state === 'online' && this.onlineTimes++);
    this.socket.onError((error) => this.sdkErrors.push(error.code));
  }

  get reconnects(): number {
    return Math.max(0, this.onlineTimes - 1);
  }

  async connect(): Promise<void> {
    await this.socket.connect();
    await this.socket.join(this.seat.roomId, { sinceSeq: 0 });
  }

  /**
   * One message per SEND_INTERVAL_MS from a random offset until `stopAt`, each awaited before the
   * next; slots missed while a send was retrying are skipped, not bunched.
   */
  async sendUntil(stopAt: number): Promise<void> {
    let next = Date.now() + Math.random() * SEND_INTERVAL_MS;
    for (let n = 1; ; n++) {
      await until(next);
      if (this.closed || Date.now() >= stopAt) return;
      const clientMsgId = randomUUID();
      const started = Date.now();
      try {
        const { message, duplicate } = await this.socket.send(
          this.seat.roomId,
          `${this.seat.username} #${n}`,
          { ...SEND_OPTIONS, clientMsgId },
        );
        this.acks.push({
          id: message.id,
          clientMsgId,
          seq: message.seq,
          duplicate,
          ms: Date.now() - started,
          at: Date.now(),
        });
      } catch (error) {
        this.failedSends.push({ clientMsgId, code: error instanceof ChatError ? error.code : String(error) });
      }
      next = Math.max(next + SEND_INTERVAL_MS, Date.now());
    }
  }

  /** Resolves true once `count` messages were delivered, false if they were not within `limitMs`. */
  deliveredAtLeast(count: number, limitMs: number): Promise<boolean> {
    if (this.delivered.length >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(false);
      }, limitMs);
      this.waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });
  }

  close(): void {
    this.closed = true;
    this.socket.disconnect();
  }

  private receive(message: Message): void {
    if (message.roomId !== this.seat.roomId) {
      this.deliveryProblems.push(`got seq ${message.seq} of room ${message.roomId}, not a member`);
      return;
    }
    const due = this.delivered.length + 1;
    if (message.seq !== due) this.deliveryProblems.push(`got seq ${message.seq} where ${due} was due`);
    this.delivered.push(message.id);
    this.lastDeliveryAt = Date.now();
    if (this.waiter && this.delivered.length >= this.waiter.count) {
      this.waiter.resolve();
      this.waiter = null;
    }
  }
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** A room's stored history, read over REST page by page, as a client would. */
async function storedHistory(client: ChatClient, roomId: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (let after = 0, more = true; more;) {
    const page = await client.http.history(roomId, { after, limit: Limits.HISTORY_PAGE_MAX });
    messages.push(...page.messages);
    more = page.hasMore && page.messages.length > 0;
    after = page.messages.at(-1)?.seq ?? after;
  }
  return messages;
}

/**
 * Seqs 1..N; every ack's message stored exactly once with the seq and id the ack announced; every
 * stored message explained by an ack or by a send that gave up. Returns the problems found.
 */
function auditRoom(roomId: string, stored: Message[], members: SoakClient[]): string[] {
  const problems: string[] = [];
  const gap = stored.findIndex((message, i) => message.seq !== i + 1);
  if (gap >= 0) problems.push(`room ${roomId}: seq ${stored[gap].seq} at position ${gap + 1}`);
  const copies = new Map<string, Message[]>();
  for (const message of stored) {
    const key = `${message.senderId}/${message.clientMsgId}`;
    copies.set(key, [...(copies.get(key) ?? []), message]);
  }
  const explained = new Set<string>();
  for (const member of members) {
    for (const ack of member.acks) {
      const key = `${member.seat.userId}/${ack.clientMsgId}`;
      explained.add(key);
      const found = copies.get(key) ?? [];
      if (found.length !== 1)
        problems.push(`room ${roomId}: acked ${ack.clientMsgId} stored ${found.length} times`);
      else if (found[0].seq !== ack.seq || found[0].id !== ack.id)
        problems.push(
          `room ${roomId}: acked ${ack.clientMsgId} as seq ${ack.seq}, stored as seq ${found[0].seq}`,
        );
    }
    for (const failed of member.failedSends) explained.add(`${member.seat.userId}/${failed.clientMsgId}`);
  }
  for (const [key, found] of copies) {
    if (!explained.has(key)) problems.push(`room ${roomId}: seq ${found[0].seq} (${key}) stored, never sent`);
  }
  return problems;
}

/** Every member was delivered the room's stored messages, each once, in seq order. */
function auditDelivery(stored: Message[], member: SoakClient): string[] {
  const name = member.seat.username;
  const problems = member.deliveryProblems.slice(0, 3).map((problem) => `${name}: ${problem}`);
  const diverges = stored.findIndex((message, i) => member.delivered[i] !== message.id);
  if (diverges >= 0)
    problems.push(
      `${name}: delivered ${member.delivered.length} of ${stored.length}, first wrong at seq ${diverges + 1}`,
    );
  else if (member.delivered.length > stored.length)
    problems.push(`${name}: delivered ${member.delivered.length - stored.length} more than stored`);
  return problems;
}

function busiestInstance(
  cluster: Cluster,
  clients: SoakClient[],
): { instance: ClusterInstance; clients: number } {
  const counts = new Map<string, number>();
  for (const { socket } of clients) {
    if (socket.connected) counts.set(socket.instanceId!, (counts.get(socket.instanceId!) ?? 0) + 1);
  }
  const [id, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return { instance: cluster.instances.find((instance) => instance.id === id)!, clients: count };
}

/** The failures injected during the run, each described for the summary. */
async function restartAndCrash(
  cluster: Cluster,
  clients: SoakClient[],
  startedAt: number,
): Promise<string[]> {
  const events: string[] = [];
  await until(startedAt + GRACEFUL_RESTART_AT_MS);
  const drained = busiestInstance(cluster, clients);
  let t = Date.now();
  await cluster.stop(drained.instance, 'SIGTERM');
  const drainMs = Date.now() - t;
  t = Date.now();
  await cluster.start(drained.instance);
  events.push(
    `SIGTERM ${drained.instance.id} (${drained.clients} clients, drained in ${drainMs} ms, back in ${Date.now() - t} ms)`,
  );

  await until(startedAt + CRASH_AT_MS);
  const crashed = busiestInstance(cluster, clients);
  await cluster.crash(crashed.instance);
  t = Date.now();
  await cluster.start(crashed.instance);
  events.push(`kill -9 ${crashed.instance.id} (${crashed.clients} clients, back in ${Date.now() - t} ms)`);
  return events;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return JSON.stringify(Object.fromEntries(counts));
}

describe(`soak: ${CLIENTS} clients sending for ${SEND_FOR_MS / 1000} s while instances restart`, () => {
  let cluster: Cluster;
  let clients: SoakClient[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(INSTANCES, 'redis-streams', { MESSAGE_RATE_LIMIT: '50' });
    const seats = await seedUsersInRooms();
    // From 127.0.0.2…9, so nginx's hash by client address spreads them over the instances.
    clients = seats.map((seat, i) => new SoakClient(seat, cluster.url, `127.0.0.${2 + (i % 8)}`));
    await inParallel(clients, CONNECTS_IN_FLIGHT, (client) => client.connect());
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    for (const client of clients) client.close();
    await cluster?.close();
  }, 60_000);

  it(
    'stores every acked message once with contiguous seqs and delivers every stored message to every member once',
    async () => {
      const startedAt = Date.now();
      const [injected] = await Promise.all([
        restartAndCrash(cluster, clients, startedAt),
        ...clients.map((client) => client.sendUntil(startedAt + SEND_FOR_MS)),
      ]);
      const sendingEndedAt = Date.now();

      const rooms = new Map<string, SoakClient[]>();
      for (const client of clients)
        rooms.set(client.seat.roomId, [...(rooms.get(client.seat.roomId) ?? []), client]);
      const histories = new Map<string, Message[]>();
      await inParallel([...rooms.keys()], 10, async (roomId) => {
        histories.set(roomId, await storedHistory(rooms.get(roomId)![0].client, roomId));
      });
      const storageProblems = [...rooms].flatMap(([roomId, members]) =>
        auditRoom(roomId, histories.get(roomId)!, members),
      );

      await Promise.all(
        clients.map((client) =>
          client.deliveredAtLeast(histories.get(client.seat.roomId)!.length, DELIVERY_WAIT_MS),
        ),
      );
      const deliveryProblems = clients.flatMap((client) =>
        auditDelivery(histories.get(client.seat.roomId)!, client),
      );

      const acks = clients.flatMap((client) => client.acks);
      const lastAckAt = Math.max(...acks.map((ack) => ack.at));
      const lastDeliveryAt = Math.max(...clients.map((client) => client.lastDeliveryAt));
      const ackMs = acks.map((ack) => ack.ms).sort((a, b) => a - b);
      const stored = [...histories.values()].reduce((sum, history) => sum + history.length, 0);
      const failedSends = clients.flatMap((client) => client.failedSends.map((failed) => failed.code));
      console.log(
        `[soak] ${CLIENTS} clients in ${rooms.size} rooms over ${INSTANCES} instances, sending ${sendingEndedAt - startedAt} ms: ` +
          `${acks.length} acked (${acks.filter((ack) => ack.duplicate).length} duplicates-by-retry), ` +
          `${stored} stored, ${failedSends.length} sends given up ${countBy(failedSends)}; ` +
          `send→ack p50 ${percentile(ackMs, 50)} ms, p99 ${percentile(ackMs, 99)} ms, max ${ackMs.at(-1)} ms; ` +
          `${clients.reduce((sum, client) => sum + client.reconnects, 0)} reconnects, ` +
          `${clients.filter((client) => client.instancesSeen.size > 1).length} clients moved instance; ` +
          `SDK background errors ${countBy(clients.flatMap((client) => client.sdkErrors))}; ` +
          `${injected.join('; ')}; last delivery ${lastDeliveryAt - lastAckAt} ms after the last ack`,
      );

      // One assertion, so a failure shows every kind of problem at once.
      expect({
        failedSends,
        storageProblems: storageProblems.slice(0, PROBLEMS_SHOWN),
        deliveryProblems: deliveryProblems.slice(0, PROBLEMS_SHOWN),
      }).toEqual({ failedSends: [], storageProblems: [], deliveryProblems: [] });
    },
    SOAK_TIMEOUT_MS,
  );
});
