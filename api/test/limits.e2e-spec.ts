import { randomUUID } from 'node:crypto';

import { ChatClient, ChatSocket } from '@chat/sdk';

import { rawAck } from './support/events';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, registerUser } from './support/users';

/**
 * Per-user limits hold across instances: two instances share one Redis, and a user spreading sockets
 * over both (or reconnecting from one to the other) gets no more than one user's budget.
 * Windows are a minute long so that no test outcome depends on how fast the machine is.
 */
describe('per-user limits across 2 instances', () => {
  let apps: TestApp[];
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:lim-${randomUUID().slice(0, 8)}`,
      MESSAGE_RATE_LIMIT: '2',
      MESSAGE_RATE_WINDOW_SECONDS: '60',
      MESSAGE_BURST: '2',
      MAX_CONNECTIONS_PER_USER: '2',
      MAX_ROOMS_PER_SOCKET: '2',
    };
    apps = [await startTestApp(env), await startTestApp(env)];
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  async function connect(user: TestUser, app: TestApp): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket({
      reconnection: false,
    });
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  const send = (socket: ChatSocket, roomId: string, body: string) =>
    rawAck(socket, 'message:send', { roomId, body, clientMsgId: randomUUID() });

  it('limits messages per user with one budget shared by every instance, and stores no refused message', async () => {
    const [one, two] = apps;
    const alice = await registerUser(one.url, 'rate');
    const room = await alice.client.http.createRoom({ name: 'Rate', visibility: 'private' });
    const onOne = await connect(alice, one);
    const onTwo = await connect(alice, two);

    // 2 per window + a burst of 2: four go through, whichever instance they reach.
    const acks = [];
    for (let i = 0; i < 6; i++) acks.push(await send(i % 2 ? onTwo : onOne, room.id, `m${i}`));
    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true, false, false]);
    for (const refused of acks.slice(4)) {
      expect(refused.error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(refused.error.retryAfter).toBeGreaterThanOrEqual(1);
    }

    // A fresh connection, on either instance, starts from the same spent budget.
    onOne.disconnect();
    const again = await connect(alice, one);
    expect(await send(again, room.id, 'after reconnecting')).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });

    const stored = await alice.client.http.history(room.id, { after: 0 });
    expect(stored.messages.map((m) => m.body)).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

  it('refuses a handshake beyond the connections allowed per user, on any instance', async () => {
    const [one, two] = apps;
    const bob = await registerUser(one.url, 'conns');
    const first = await connect(bob, one);
    await connect(bob, two);

    const third = new ChatClient({ baseUrl: two.url, token: bob.auth.accessToken }).socket({
      reconnection: false,
    });
    sockets.push(third);
    await expect(third.connect()).rejects.toMatchObject({ code: 'RATE_LIMITED' });

    // Closing one frees a place once the cluster has counted the disconnection.
    first.disconnect();
    await waitFor(async () => (await clusterConnections(one.url)) === 1, 'the disconnection to be counted');
    await expect(connect(bob, one)).resolves.toBeDefined();
  });

  it('caps the rooms one connection is subscribed to', async () => {
    const carol = await registerUser(apps[0].url, 'rooms');
    const rooms = await Promise.all(
      ['r1', 'r2', 'r3'].map((name) => carol.client.http.createRoom({ name, visibility: 'private' })),
    );
    const socket = await connect(carol, apps[0]);
    await socket.join(rooms[0].id);
    await socket.join(rooms[1].id);
    expect(await rawAck(socket, 'room:join', { roomId: rooms[2].id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // Joining a room it is already in is not a new subscription.
    expect(await rawAck(socket, 'room:join', { roomId: rooms[1].id })).toMatchObject({ ok: true });
    await socket.leave(rooms[0].id);
    expect(await rawAck(socket, 'room:join', { roomId: rooms[2].id })).toMatchObject({ ok: true });
  });
});

/** Connections counted in this suite's cluster (its own Redis prefix). */
async function clusterConnections(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/stats`);
  return ((await response.json()) as { connections: number }).connections;
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
