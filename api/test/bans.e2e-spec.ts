import { randomUUID } from 'node:crypto';

import type { Room } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, registerUser } from './support/users';

/** A room owner's ban takes effect on every instance at once, and nothing brings the banned user back. */
describe('room bans across 2 instances', () => {
  let apps: TestApp[];
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    const env = { REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:ban-${randomUUID().slice(0, 8)}` };
    apps = [await startTestApp(env), await startTestApp(env)];
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  async function connect(user: TestUser, app: TestApp, settings = {}): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket(settings);
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  /** Owner and member share a banned-to-be room and a marker room that stays. */
  async function setUp() {
    const [one, two] = apps;
    const owner = await registerUser(one.url, 'owner');
    const bob = await registerUser(two.url, 'bob');
    const room = await owner.client.http.createRoom({ name: 'Moderated', visibility: 'public' });
    const marker = await owner.client.http.createRoom({ name: 'Marker', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);
    await bob.client.http.joinRoom(marker.id);
    const ownerSocket = await connect(owner, one);
    await ownerSocket.join(room.id);
    await ownerSocket.join(marker.id);
    return { owner, bob, room, marker, ownerSocket };
  }

  /** Sends to the banned room, then to the marker room: once the marker arrives, the first had its chance. */
  async function expectCutOff(
    ownerSocket: ChatSocket,
    bobMessages: EventRecorder<'message:new'>,
    room: Room,
    marker: Room,
  ) {
    const { message: hidden } = await ownerSocket.send(room.id, 'after the ban');
    const { message: seen } = await ownerSocket.send(marker.id, 'marker');
    await bobMessages.next((m) => m.id === seen.id, 'the marker');
    expect(bobMessages.events.some((m) => m.id === hidden.id)).toBe(false);
  }

  it("cuts the member's sockets off the room on every instance and keeps them out", async () => {
    const { owner, bob, room, marker, ownerSocket } = await setUp();
    const bobSocket = await connect(bob, apps[1]);
    await bobSocket.join(room.id);
    await bobSocket.join(marker.id);
    const bobMessages = new EventRecorder(bobSocket, 'message:new');
    const removed = new EventRecorder(bobSocket, 'room:removed');

    await owner.client.http.banMember(room.id, bob.id);
    expect(await removed.next()).toEqual({ roomId: room.id, reason: 'banned' });
    expect(bobSocket.joinedRooms()).not.toContain(room.id);
    await expectCutOff(ownerSocket, bobMessages, room, marker);

    // Every way back in is closed: REST join, socket join, sending, reading.
    await expect(bob.client.http.joinRoom(room.id)).rejects.toMatchObject({ status: 403 });
    expect(await rawAck(bobSocket, 'room:join', { roomId: room.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await rawAck(bobSocket, 'message:send', {
        roomId: room.id,
        body: 'let me in',
        clientMsgId: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await expect(bob.client.http.history(room.id)).rejects.toMatchObject({ status: 403 });
    // Nor can the owner add a banned user back without lifting the ban.
    await expect(owner.client.http.addMember(room.id, bob.id)).rejects.toMatchObject({
      status: 403,
    });

    // Only the owner bans.
    await expect(bob.client.http.banMember(marker.id, owner.id)).rejects.toMatchObject({ status: 403 });

    // Lifting the ban lets them join again.
    await owner.client.http.unbanMember(room.id, bob.id);
    await expect(bob.client.http.joinRoom(room.id)).resolves.toMatchObject({ id: room.id });
  });

  it('does not let connection state recovery bring a banned socket back into the room', async () => {
    const { owner, bob, room, marker, ownerSocket } = await setUp();
    const bobSocket = await connect(bob, apps[1], { reconnection: false });
    await bobSocket.join(room.id);
    await bobSocket.join(marker.id);

    // Recovery resumes from the last room event the client saw: there must have been one.
    const before = new EventRecorder(bobSocket, 'message:new');
    const { message: hello } = await ownerSocket.send(marker.id, 'before the drop');
    await before.next((m) => m.id === hello.id, 'a first room event');

    // The connection drops (not a client disconnect), and the ban happens while it is away.
    const dropped = new Promise((resolve) => bobSocket.socket.once('disconnect', resolve));
    bobSocket.socket.io.engine.close();
    await dropped;
    await owner.client.http.banMember(room.id, bob.id);

    const bobMessages = new EventRecorder(bobSocket, 'message:new');
    await bobSocket.connect();
    // A session that lost a room while away is not recovered: a fresh one, which the SDK re-joins
    // (the banned room is refused)…
    expect(bobSocket.socket.recovered).toBe(false);
    // …and the banned room's events no longer reach it.
    await expectCutOff(ownerSocket, bobMessages, room, marker);
  });
});
