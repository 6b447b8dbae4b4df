import type { Message, Room } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { EventRecorder } from './support/events';
import { RawSocketIoClient } from './support/raw-socket-io-client';
import { TestApp, startTestApp } from './support/test-app';
import { TestUser, registerUser } from './support/users';

/**
 * Connection state recovery (the default redis-streams adapter) replays the events a socket missed
 * while its transport was down. Told from the attacker's side, over the raw protocol: a CONNECT
 * carrying a real `pid`/`offset` gets nothing written to it before its token is verified, and the
 * replay never holds an event of a room its user is no longer a member of.
 */
describe('connection state recovery', () => {
  let app: TestApp;
  const sockets: ChatSocket[] = [];
  const raws: RawSocketIoClient[] = [];

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const raw of raws.splice(0)) raw.close();
  });
  afterAll(() => app.close());

  async function openRaw(): Promise<RawSocketIoClient> {
    const raw = await RawSocketIoClient.open(app.url);
    raws.push(raw);
    return raw;
  }

  interface DroppedSession {
    owner: TestUser;
    bob: TestUser;
    room: Room;
    marker: Room;
    ownerSocket: ChatSocket;
    pid: string;
    offset: string;
  }

  /**
   * Bob, a member of a room and of a marker room, is subscribed to both over a raw socket that has
   * seen a room event; then its transport drops, and the server has finished with it (the owner is
   * told Bob went offline, which happens after the session was stored for recovery).
   */
  async function droppedSession(): Promise<DroppedSession> {
    const owner = await registerUser(app.url, 'owner');
    const bob = await registerUser(app.url, 'bob');
    const room = await owner.client.http.createRoom({ name: 'Recovered', visibility: 'public' });
    const marker = await owner.client.http.createRoom({ name: 'Marker', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);
    await bob.client.http.joinRoom(marker.id);
    const ownerSocket = new ChatClient({ baseUrl: app.url, token: owner.auth.accessToken }).socket();
    sockets.push(ownerSocket);
    await ownerSocket.connect();
    await ownerSocket.join(room.id);
    await ownerSocket.join(marker.id);
    const presence = new EventRecorder(ownerSocket, 'presence');

    const raw = await openRaw();
    const first = await raw.handshake({ token: bob.auth.accessToken });
    if (!first.connected || !first.pid) throw new Error('Expected a recoverable session');
    expect(await raw.emitWithAck('room:join', { roomId: room.id })).toMatchObject({ ok: true });
    expect(await raw.emitWithAck('room:join', { roomId: marker.id })).toMatchObject({ ok: true });
    const { message: hello } = await ownerSocket.send(room.id, 'before the drop');
    await raw.nextEvent('message:new', (m: Message) => m.id === hello.id);
    const offset = raw.lastOffset();
    if (!offset) throw new Error('Expected an offset on the room event');

    raw.close();
    await presence.next((p) => p.userId === bob.id && !p.online, 'bob offline');
    return { owner, bob, room, marker, ownerSocket, pid: first.pid, offset };
  }

  const messageIds = (raw: RawSocketIoClient): string[] =>
    raw
      .events()
      .filter((event) => event.name === 'message:new')
      .map((event) => (event.args[0] as Message).id);

  it('replays the missed room events to the same member with a valid token (the control case)', async () => {
    const { bob, room, ownerSocket, pid, offset } = await droppedSession();
    const { message: missed } = await ownerSocket.send(room.id, 'while bob was away');

    const raw = await openRaw();
    const result = await raw.handshake({ token: bob.auth.accessToken, pid, offset });

    expect(result).toMatchObject({ connected: true, pid });
    await raw.nextEvent('message:new', (m: Message) => m.id === missed.id);
  });

  it('writes nothing to a CONNECT with a garbage token and a real pid/offset, and refuses it', async () => {
    const { owner, bob, room, ownerSocket, pid, offset } = await droppedSession();
    await owner.client.http.banMember(room.id, bob.id);
    await ownerSocket.send(room.id, 'after the ban');

    const raw = await openRaw();
    const result = await raw.handshake({ token: 'garbage', pid, offset });

    expect(result).toMatchObject({ connected: false, error: { message: 'UNAUTHORIZED' } });
    expect(raw.events()).toEqual([]);
  });

  it('does not replay a room the user was banned from, even with their still-valid token', async () => {
    const { owner, bob, room, marker, ownerSocket, pid, offset } = await droppedSession();
    await owner.client.http.banMember(room.id, bob.id);
    const { message: hidden } = await ownerSocket.send(room.id, 'after the ban');
    const { message: other } = await ownerSocket.send(marker.id, 'in a room bob is still in');

    const raw = await openRaw();
    const result = await raw.handshake({ token: bob.auth.accessToken, pid, offset });

    // A plain fresh session: not the old one, so the client knows to catch up from history.
    expect(result.connected).toBe(true);
    expect(result.connected && result.pid).not.toBe(pid);
    await raw.nextEvent('session');
    expect(messageIds(raw)).not.toContain(hidden.id);
    expect(messageIds(raw)).not.toContain(other.id);
  });

  it('writes nothing to a token revoked by logout while the transport was down, and refuses it', async () => {
    const { bob, room, ownerSocket, pid, offset } = await droppedSession();
    const token = bob.auth.accessToken;
    await bob.client.http.logout();
    await ownerSocket.send(room.id, 'after the logout');

    const raw = await openRaw();
    const result = await raw.handshake({ token, pid, offset });

    expect(result).toMatchObject({ connected: false, error: { message: 'UNAUTHORIZED' } });
    expect(raw.events()).toEqual([]);
  });

  it("does not hand one user's session to another user's valid token", async () => {
    const { room, ownerSocket, pid, offset } = await droppedSession();
    const eve = await registerUser(app.url, 'eve');
    const { message: hidden } = await ownerSocket.send(room.id, 'not for eve');

    const raw = await openRaw();
    const result = await raw.handshake({ token: eve.auth.accessToken, pid, offset });

    expect(result.connected).toBe(true);
    expect(result.connected && result.pid).not.toBe(pid);
    await raw.nextEvent('session');
    expect(messageIds(raw)).not.toContain(hidden.id);
  });
});
