import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import type { Message, Room } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { RawSocketIoClient } from './support/raw-socket-io-client';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR, TEST_REDIS_URL } from './support/test-env';
import { TestUser, registerUser } from './support/users';

const ROOMS_PER_SOCKET = 5;

/**
 * Every write from a socket is checked against the user's membership and credentials as they are
 * now, not as the handshake or the last broadcast left them. SOCKET_RECHECK_MS=0 makes every event
 * re-check, so a test needs no waiting for a cache to expire.
 */
describe('membership and credentials on every socket write', () => {
  let app: TestApp;
  let db: Client;
  let redis: Redis;
  const redisPrefix = `${process.env[RUN_REDIS_PREFIX_VAR]}:wc-${randomUUID().slice(0, 8)}`;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      REDIS_KEY_PREFIX: redisPrefix,
      SOCKET_RECHECK_MS: '0',
      MAX_ROOMS_PER_SOCKET: String(ROOMS_PER_SOCKET),
    });
    db = new Client({ connectionString: process.env[RUN_DATABASE_URL_VAR] });
    await db.connect();
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await db.end();
    redis.disconnect();
    await app.close();
  });

  async function connect(user: TestUser): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket({
      reconnection: false,
    });
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  /** An owner and Bob, both in a room (and subscribed), plus a marker room only the owner watches. */
  async function setUp() {
    const owner = await registerUser(app.url, 'owner');
    const bob = await registerUser(app.url, 'bob');
    const room = await owner.client.http.createRoom({ name: 'Checked', visibility: 'public' });
    const marker = await owner.client.http.createRoom({ name: 'Marker', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);
    const ownerSocket = await connect(owner);
    await ownerSocket.join(room.id);
    await ownerSocket.join(marker.id);
    const bobSocket = await connect(bob);
    await bobSocket.join(room.id);
    return { owner, bob, room, marker, ownerSocket, bobSocket };
  }

  /**
   * A message in the marker room: the owner's instance publishes in order, so once it has arrived,
   * anything published before it has arrived too.
   */
  async function settle(ownerSocket: ChatSocket, marker: Room): Promise<void> {
    const seen = new EventRecorder(ownerSocket, 'message:new');
    const { message } = await ownerSocket.send(marker.id, 'marker');
    await seen.next((m) => m.id === message.id, 'the marker');
    seen.stop();
  }

  const forbidden = { ok: false, error: { code: 'FORBIDDEN' } };

  it('refuses edits and deletes from a banned sender, and the room hears nothing', async () => {
    const { owner, bob, room, marker, ownerSocket, bobSocket } = await setUp();
    const { message: first } = await bobSocket.send(room.id, 'mine');
    const { message: second } = await bobSocket.send(room.id, 'mine too');
    await owner.client.http.banMember(room.id, bob.id);
    const updates = new EventRecorder(ownerSocket, 'message:updated');

    expect(await rawAck(bobSocket, 'message:edit', { messageId: first.id, body: 'rewritten' })).toMatchObject(
      forbidden,
    );
    expect(await rawAck(bobSocket, 'message:delete', { messageId: second.id })).toMatchObject(forbidden);

    await settle(ownerSocket, marker);
    expect(updates.events).toEqual([]);
    const { messages } = await owner.client.http.history(room.id);
    // The ban itself is in the timeline, as a system message.
    expect(messages.map((m) => m.system?.kind ?? m.body)).toEqual(['mine', 'mine too', 'member_banned']);
  });

  it('refuses an edit from a sender who left the room', async () => {
    const { bob, room, bobSocket } = await setUp();
    const { message } = await bobSocket.send(room.id, 'before leaving');
    await bob.client.http.leaveRoom(room.id);

    expect(await rawAck(bobSocket, 'message:edit', { messageId: message.id, body: 'after' })).toMatchObject(
      forbidden,
    );
  });

  it('does not announce a resent clientMsgId again once the sender is banned', async () => {
    const { owner, bob, room, marker, ownerSocket, bobSocket } = await setUp();
    const seen = new EventRecorder(ownerSocket, 'message:new');
    const payload = { roomId: room.id, body: 'once', clientMsgId: randomUUID() };
    const first = await rawAck(bobSocket, 'message:send', payload);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    const original = first.message as Message;
    await seen.next((m) => m.id === original.id, 'the original');
    await owner.client.http.banMember(room.id, bob.id);

    expect(await rawAck(bobSocket, 'message:send', payload)).toMatchObject(forbidden);

    await settle(ownerSocket, marker);
    expect(seen.events.filter((m) => m.id === original.id)).toHaveLength(1);
  });

  it('ends a suspended account’s socket on its next write even if the suspension broadcast never came', async () => {
    const { room, bob, marker, ownerSocket, bobSocket } = await setUp();
    const ended = new EventRecorder(bobSocket, 'session:ended');
    const seen = new EventRecorder(ownerSocket, 'message:new');
    // Straight in the database: no broadcast reaches the socket, as when the publish was lost.
    await db.query('UPDATE users SET suspended_at = now() WHERE id = $1', [bob.id]);

    const closed = new Promise((resolve) => bobSocket.socket.once('disconnect', resolve));
    expect(
      await rawAck(bobSocket, 'message:send', {
        roomId: room.id,
        body: 'still here?',
        clientMsgId: randomUUID(),
      }),
    ).toMatchObject(forbidden);
    expect(await ended.next()).toMatchObject({ reason: 'suspended' });
    await closed;

    await settle(ownerSocket, marker);
    expect(seen.events.some((m) => m.body === 'still here?')).toBe(false);
  });

  it('refuses a write with a token revoked without its broadcast reaching the socket', async () => {
    const { bob, room, bobSocket } = await setUp();
    const { jti } = JSON.parse(Buffer.from(bob.auth.accessToken.split('.')[1], 'base64url').toString()) as {
      jti: string;
    };
    await redis.set(`${redisPrefix}:revoked:${jti}`, '1', 'PX', 60_000);

    expect(await rawAck(bobSocket, 'typing', { roomId: room.id, isTyping: true })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
  });

  it('refuses a write with a bot API key revoked without its broadcast reaching the socket', async () => {
    const { owner, room, marker, ownerSocket } = await setUp();
    const created = await owner.client.http.createBot(room.id, {
      username: `bot_${randomUUID().slice(0, 8)}`,
    });
    const botSocket = new ChatClient({ baseUrl: app.url, token: created.apiKey.key }).socket({
      reconnection: false,
    });
    sockets.push(botSocket);
    await botSocket.connect();
    await botSocket.join(room.id);
    const ended = new EventRecorder(botSocket, 'session:ended');
    const seen = new EventRecorder(ownerSocket, 'message:new');
    // Straight in the database: no broadcast reaches the socket, as when the publish was lost.
    await db.query('UPDATE bot_api_keys SET revoked_at = now() WHERE id = $1', [created.apiKey.id]);

    expect(
      await rawAck(botSocket, 'message:send', {
        roomId: room.id,
        body: 'revoked bot',
        clientMsgId: randomUUID(),
      }),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await ended.next()).toMatchObject({ reason: 'logged_out' });
    await settle(ownerSocket, marker);
    expect(seen.events.some((m) => m.body === 'revoked bot')).toBe(false);
  });

  it('takes a socket out of a room whose membership ended without the unsubscribe reaching it', async () => {
    const { bob, room, marker, ownerSocket, bobSocket } = await setUp();
    const bobMessages = new EventRecorder(bobSocket, 'message:new');
    await db.query('DELETE FROM memberships WHERE room_id = $1 AND user_id = $2', [room.id, bob.id]);

    expect(await rawAck(bobSocket, 'typing', { roomId: room.id, isTyping: true })).toMatchObject(forbidden);

    const { message: hidden } = await ownerSocket.send(room.id, 'not for bob');
    await settle(ownerSocket, marker);
    expect(bobMessages.events.some((m) => m.id === hidden.id)).toBe(false);
  });

  it(`holds MAX_ROOMS_PER_SOCKET (${ROOMS_PER_SOCKET}) when 10 joins are fired without waiting`, async () => {
    const owner = await registerUser(app.url, 'owner');
    const bob = await registerUser(app.url, 'bob');
    const rooms: Room[] = [];
    for (let i = 0; i < 10; i++)
      rooms.push(await owner.client.http.createRoom({ name: `R${i}`, visibility: 'public' }));
    const raw = await RawSocketIoClient.connect(app.url, bob.auth.accessToken);
    try {
      const acks = (await Promise.all(
        rooms.map((room) => raw.emitWithAck('room:join', { roomId: room.id })),
      )) as { ok: boolean; error?: { code: string } }[];

      expect(acks.filter((ack) => ack.ok)).toHaveLength(ROOMS_PER_SOCKET);
      expect(acks.filter((ack) => !ack.ok).map((ack) => ack.error?.code)).toEqual(
        Array(10 - ROOMS_PER_SOCKET).fill('FORBIDDEN'),
      );
    } finally {
      raw.close();
    }
  });

  it('never leaves a socket subscribed when a ban races its room:join', async () => {
    const owner = await registerUser(app.url, 'owner');
    const bob = await registerUser(app.url, 'bob');
    const marker = await owner.client.http.createRoom({ name: 'Marker', visibility: 'public' });
    const ownerSocket = await connect(owner);
    await ownerSocket.join(marker.id);
    const bobSocket = await connect(bob);
    const bobMessages = new EventRecorder(bobSocket, 'message:new');
    const hidden: string[] = [];
    for (let round = 0; round < 10; round++) {
      const room = await owner.client.http.createRoom({ name: `Race ${round}`, visibility: 'public' });
      await bob.client.http.joinRoom(room.id);
      await ownerSocket.join(room.id);
      await Promise.all([
        rawAck(bobSocket, 'room:join', { roomId: room.id }),
        owner.client.http.banMember(room.id, bob.id),
      ]);
      hidden.push((await ownerSocket.send(room.id, `after ban ${round}`)).message.id);
      await ownerSocket.leave(room.id);
    }
    await settle(ownerSocket, marker);
    expect(bobMessages.events.filter((m) => hidden.includes(m.id))).toEqual([]);
  });
});
