import { randomUUID } from 'node:crypto';

import type { Message } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { EventRecorder } from './support/events';
import { RawSocketIoClient } from './support/raw-socket-io-client';
import { TestApp, startTestApp } from './support/test-app';
import { TestUser, registerUser } from './support/users';

/** Small budgets in long windows, so what a burst of events may spend is exact whatever the test's pace. */
const EVENT_RATE_LIMIT = 3;
const EVENT_BURST = 2;
const EDIT_RATE_LIMIT = 2;
const EDIT_BURST = 1;
const FIRED = 20;

interface Ack {
  ok: boolean;
  error?: { code: string; retryAfter?: number };
}

/**
 * Every client event has a per-user budget, not only message:send: a client firing events as fast
 * as it can (over the raw protocol, which no SDK pacing protects) gets RATE_LIMITED with a
 * `retryAfter` once its budget is spent, and the room hears only what the budget allowed.
 */
describe('a budget for every client event', () => {
  let app: TestApp;
  const sockets: ChatSocket[] = [];
  const raws: RawSocketIoClient[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      MESSAGE_RATE_WINDOW_SECONDS: '600',
      MESSAGE_RATE_LIMIT: '1000',
      EVENT_RATE_LIMIT: String(EVENT_RATE_LIMIT),
      EVENT_BURST: String(EVENT_BURST),
      EDIT_RATE_LIMIT: String(EDIT_RATE_LIMIT),
      EDIT_BURST: String(EDIT_BURST),
    });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const raw of raws.splice(0)) raw.close();
  });
  afterAll(() => app.close());

  async function connect(user: TestUser): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket();
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  async function raw(user: TestUser): Promise<RawSocketIoClient> {
    const client = await RawSocketIoClient.connect(app.url, user.auth.accessToken);
    raws.push(client);
    return client;
  }

  /** Fires all at once (no waiting between them) and returns the acks. */
  const fire = (client: RawSocketIoClient, event: string, payloads: unknown[]) =>
    Promise.all(payloads.map((payload) => client.emitWithAck(event, payload))) as Promise<Ack[]>;

  function expectBudget(acks: Ack[], allowed: number): void {
    const refused = acks.filter((ack) => !ack.ok && ack.error?.code === 'RATE_LIMITED');
    expect(acks.length - refused.length).toBeLessThanOrEqual(allowed);
    expect(refused.length).toBeGreaterThanOrEqual(acks.length - allowed);
    for (const ack of refused) expect(ack.error?.retryAfter).toBeGreaterThanOrEqual(1);
  }

  it('limits message:edit and message:delete together, and the room hears only the allowed edits', async () => {
    const owner = await registerUser(app.url, 'owner');
    const mallory = await registerUser(app.url, 'mallory');
    const room = await owner.client.http.createRoom({ name: 'Edited', visibility: 'public' });
    await mallory.client.http.joinRoom(room.id);
    const ownerSocket = await connect(owner);
    await ownerSocket.join(room.id);
    const updates = new EventRecorder(ownerSocket, 'message:updated');
    const client = await raw(mallory);
    expect(await client.emitWithAck('room:join', { roomId: room.id })).toMatchObject({ ok: true });
    const sent = (await client.emitWithAck('message:send', {
      roomId: room.id,
      body: 'original',
      clientMsgId: randomUUID(),
    })) as { message: Message };

    const edits = await fire(
      client,
      'message:edit',
      Array.from({ length: FIRED }, (_, i) => ({ messageId: sent.message.id, body: `edit ${i}` })),
    );
    const deletes = await fire(client, 'message:delete', [{ messageId: sent.message.id }]);

    const allowed = EDIT_RATE_LIMIT + EDIT_BURST;
    expectBudget([...edits, ...deletes], allowed);
    expect(deletes[0]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // Once the room has its last message, everything broadcast before it has arrived.
    const seen = new EventRecorder(ownerSocket, 'message:new');
    const { message: marker } = await ownerSocket.send(room.id, 'marker');
    await seen.next((m) => m.id === marker.id, 'the marker');
    expect(updates.events.length).toBeLessThanOrEqual(allowed);
  });

  it.each([
    ['message:read', (roomId: string) => ({ roomId, seq: 0 })],
    ['room:join', (roomId: string) => ({ roomId })],
    ['room:leave', (roomId: string) => ({ roomId })],
    ['auth:refresh', () => ({ token: 'not a token' })],
    ['no:such:event', () => ({})],
  ])('limits %s per user', async (event, payloadOf) => {
    const owner = await registerUser(app.url, 'owner');
    const mallory = await registerUser(app.url, 'mallory');
    const room = await owner.client.http.createRoom({ name: 'Budget', visibility: 'public' });
    await mallory.client.http.joinRoom(room.id);
    const client = await raw(mallory);

    const acks = await fire(
      client,
      event,
      Array.from({ length: FIRED }, () => payloadOf(room.id)),
    );

    expectBudget(acks, EVENT_RATE_LIMIT + EVENT_BURST);
  });

  it('limits reaction:add and reaction:remove together, and the room hears only the allowed changes', async () => {
    const owner = await registerUser(app.url, 'owner');
    const mallory = await registerUser(app.url, 'mallory');
    const room = await owner.client.http.createRoom({ name: 'Reactions', visibility: 'public' });
    await mallory.client.http.joinRoom(room.id);
    const ownerSocket = await connect(owner);
    await ownerSocket.join(room.id);
    const { message } = await ownerSocket.send(room.id, 'react to me');
    const changes = new EventRecorder(ownerSocket, 'message:reactions');
    const client = await raw(mallory);

    const emoji = ['👍', '❤️', '🎉', '😀', '🚀'];
    const [adds, removes] = await Promise.all([
      fire(
        client,
        'reaction:add',
        Array.from({ length: FIRED / 2 }, (_, i) => ({ messageId: message.id, emoji: emoji[i % 5] })),
      ),
      fire(
        client,
        'reaction:remove',
        Array.from({ length: FIRED / 2 }, (_, i) => ({ messageId: message.id, emoji: emoji[i % 5] })),
      ),
    ]);

    const allowed = EVENT_RATE_LIMIT + EVENT_BURST;
    expectBudget([...adds, ...removes], allowed);
    const seen = new EventRecorder(ownerSocket, 'message:new');
    const { message: marker } = await ownerSocket.send(room.id, 'marker');
    await seen.next((m) => m.id === marker.id, 'the marker');
    expect(changes.events.length).toBeLessThanOrEqual(allowed);
  });

  it('shares a user’s budget between their sockets', async () => {
    const owner = await registerUser(app.url, 'owner');
    const mallory = await registerUser(app.url, 'mallory');
    const room = await owner.client.http.createRoom({ name: 'Shared', visibility: 'public' });
    await mallory.client.http.joinRoom(room.id);
    const [one, two] = [await raw(mallory), await raw(mallory)];
    const half = Array.from({ length: FIRED / 2 }, () => ({ roomId: room.id, seq: 0 }));

    const acks = await Promise.all([fire(one, 'message:read', half), fire(two, 'message:read', half)]);

    expectBudget(acks.flat(), EVENT_RATE_LIMIT + EVENT_BURST);
  });

  it('limits typing, and coalesces what it lets through to one broadcast per user and room', async () => {
    const owner = await registerUser(app.url, 'owner');
    const mallory = await registerUser(app.url, 'mallory');
    const room = await owner.client.http.createRoom({ name: 'Typing', visibility: 'public' });
    await mallory.client.http.joinRoom(room.id);
    const ownerSocket = await connect(owner);
    await ownerSocket.join(room.id);
    const typing = new EventRecorder(ownerSocket, 'typing');
    const client = await raw(mallory);
    expect(await client.emitWithAck('room:join', { roomId: room.id })).toMatchObject({ ok: true });

    const acks = await fire(
      client,
      'typing',
      Array.from({ length: FIRED }, () => ({ roomId: room.id, isTyping: true })),
    );

    expectBudget(acks, EVENT_RATE_LIMIT + EVENT_BURST);
    const seen = new EventRecorder(ownerSocket, 'message:new');
    const { message: marker } = await ownerSocket.send(room.id, 'marker');
    await seen.next((m) => m.id === marker.id, 'the marker');
    expect(typing.events).toEqual([{ roomId: room.id, userId: mallory.id, isTyping: true }]);
  });
});
