import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

import { ErrorCode, Room } from '@chat/contracts';
import { ChatSocket, ChatSocketError } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { TEST_JWT_SECRET, TestApp, startTestApp } from './support/test-app';
import { TestUser, registerUser } from './support/users';

describe('chat gateway (Socket.IO)', () => {
  let app: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  const sockets: ChatSocket[] = [];

  async function connect(user: TestUser): Promise<ChatSocket> {
    const socket = user.client.socket();
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  async function sharedRoom(): Promise<Room> {
    const room = await alice.client.http.createRoom({ name: 'Chat', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);
    return room;
  }

  /** Alice and Bob, both members of a fresh room, each with a socket subscribed to it. */
  async function bothSubscribed() {
    const room = await sharedRoom();
    const [aliceSocket, bobSocket] = await Promise.all([connect(alice), connect(bob)]);
    await Promise.all([aliceSocket.join(room.id), bobSocket.join(room.id)]);
    return { room, aliceSocket, bobSocket };
  }

  beforeAll(async () => {
    app = await startTestApp();
    alice = await registerUser(app.url, 'alice');
    bob = await registerUser(app.url, 'bob');
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => app.close());

  describe('handshake', () => {
    it('tells the client who it is and which instance it reached', async () => {
      const socket = alice.client.socket();
      sockets.push(socket);
      await expect(socket.connect()).resolves.toEqual({ userId: alice.id, instanceId: app.instanceId });
    });

    it.each([
      ['no token', {}],
      ['a forged token', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged' }],
      ['a token in the query string only', undefined],
    ])('refuses %s with connect_error UNAUTHORIZED', async (_, auth) => {
      const socket = io(app.url, {
        auth,
        query: auth === undefined ? { token: alice.auth.accessToken } : undefined,
        transports: ['websocket'],
        reconnection: false,
      });
      const error = await new Promise<Error & { data?: { code: string } }>((resolve) =>
        socket.on('connect_error', resolve),
      );
      socket.close();
      expect(error.message).toBe(ErrorCode.UNAUTHORIZED);
      expect(error.data?.code).toBe(ErrorCode.UNAUTHORIZED);
    });

    it('refuses an expired token', async () => {
      const { JwtService } = await import('@nestjs/jwt');
      const expired = new JwtService({ secret: TEST_JWT_SECRET }).sign(
        { sub: alice.id, username: alice.username },
        { expiresIn: -10 },
      );
      const socket = io(app.url, {
        auth: { token: expired },
        transports: ['websocket'],
        reconnection: false,
      });
      const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
      socket.close();
      expect(error.message).toBe(ErrorCode.UNAUTHORIZED);
    });
  });

  describe('rooms and messages', () => {
    it('joins a room and sees who is online in it', async () => {
      const room = await sharedRoom();
      const aliceSocket = await connect(alice);
      await connect(bob);
      const joined = await aliceSocket.join(room.id);
      expect(joined.room.id).toBe(room.id);
      expect(joined.lastSeq).toBe(0);
      expect(new Set(joined.onlineMemberIds)).toEqual(new Set([alice.id, bob.id]));
    });

    it('refuses to subscribe a non-member to a private room, and reports unknown rooms', async () => {
      const room = await alice.client.http.createRoom({ name: 'Private', visibility: 'private' });
      const bobSocket = await connect(bob);
      await expect(bobSocket.join(room.id)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
      await expect(bobSocket.join(randomUUID())).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      await expect(bobSocket.send(room.id, 'let me in', { retries: 0 })).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
    });

    it('tells a user on every socket when someone adds them to a room or opens a conversation', async () => {
      const bobSocket = await connect(bob);
      const added = new EventRecorder(bobSocket, 'room:added');
      const privateRoom = await alice.client.http.createRoom({ name: 'Invite only', visibility: 'private' });
      await alice.client.http.addMember(privateRoom.id, bob.id);
      await expect(added.next((e) => e.room.id === privateRoom.id)).resolves.toMatchObject({
        room: { id: privateRoom.id, memberCount: 2 },
      });
      const carol = await registerUser(app.url, 'carol');
      const direct = await carol.client.http.directRoom(bob.id);
      await added.next((e) => e.room.id === direct.id, 'room:added for the direct room');

      // Adding again, or asking for the same conversation again, announces nothing new.
      await alice.client.http.addMember(privateRoom.id, bob.id);
      await bob.client.http.directRoom(carol.id);
      const marker = await alice.client.http.createRoom({ name: 'Marker', visibility: 'private' });
      await alice.client.http.addMember(marker.id, bob.id);
      await added.next((e) => e.room.id === marker.id);
      expect(added.events.map((e) => e.room.id)).toEqual([privateRoom.id, direct.id, marker.id]);
    });

    it('joining a public room over the socket makes the user a member', async () => {
      const room = await alice.client.http.createRoom({ name: 'Open', visibility: 'public' });
      const bobSocket = await connect(bob);
      await bobSocket.join(room.id);
      expect((await bob.client.http.myRooms()).map((r) => r.id)).toContain(room.id);
    });

    it('stores before acking, then delivers message:new to the room, tagged with the instance', async () => {
      const { room, aliceSocket, bobSocket } = await bothSubscribed();
      const received = new EventRecorder(bobSocket, 'message:new');

      const { message, duplicate } = await aliceSocket.send(room.id, 'Hello <b>Bob</b> 👋');
      expect(duplicate).toBe(false);
      expect(message).toMatchObject({
        roomId: room.id,
        seq: 1,
        senderId: alice.id,
        sender: { id: alice.id, username: alice.username },
        body: 'Hello <b>Bob</b> 👋',
        instanceId: app.instanceId,
        editedAt: null,
        deletedAt: null,
      });
      const history = await bob.client.http.history(room.id, { after: 0 });
      expect(history.messages).toEqual([message]);
      expect(await received.next((m) => m.id === message.id)).toEqual(message);
    });

    it('stores a resent clientMsgId once, acks the original and re-announces it, delivered once', async () => {
      const { room, aliceSocket, bobSocket } = await bothSubscribed();
      const received = new EventRecorder(bobSocket, 'message:new');
      const onTheWire: number[] = [];
      bobSocket.socket.on('message:new', (m) => onTheWire.push(m.seq));

      const clientMsgId = randomUUID();
      const first = await aliceSocket.send(room.id, 'once', { clientMsgId });
      const again = await aliceSocket.send(room.id, 'once', { clientMsgId });
      expect(again).toEqual({ message: first.message, duplicate: true });

      const next = await aliceSocket.send(room.id, 'twice?');
      await received.next((m) => m.id === next.message.id);
      // The resend is broadcast again (its first broadcast may have been lost); the SDK delivers seq 1 once.
      expect(onTheWire).toEqual([1, 1, 2]);
      expect(received.events.map((m) => m.seq)).toEqual([1, 2]);
      expect((await bob.client.http.history(room.id, {})).messages.map((m) => m.body)).toEqual([
        'once',
        'twice?',
      ]);

      const elsewhere = await alice.client.http.createRoom({ name: 'Other', visibility: 'public' });
      await aliceSocket.join(elsewhere.id);
      await expect(
        aliceSocket.send(elsewhere.id, 'reuse', { clientMsgId, retries: 0 }),
      ).rejects.toMatchObject({
        code: ErrorCode.CONFLICT,
      });
    });

    it('gives concurrent senders contiguous seqs: no gap, no duplicate', async () => {
      const room = await alice.client.http.createRoom({ name: 'Busy', visibility: 'public' });
      const senders = [alice, ...(await Promise.all([1, 2, 3].map(() => registerUser(app.url, 'busy'))))];
      const senderSockets = await Promise.all(senders.map((user) => connect(user)));
      await Promise.all(senderSockets.map((socket) => socket.join(room.id)));
      const perSender = 25;
      await Promise.all(
        senderSockets.map((socket, s) =>
          Promise.all(Array.from({ length: perSender }, (_, i) => socket.send(room.id, `s${s} m${i}`))),
        ),
      );
      const page = await alice.client.http.history(room.id, { after: 0, limit: 200 });
      expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 4 * perSender }, (_, i) => i + 1));
      expect(new Set(page.messages.map((m) => m.body)).size).toBe(4 * perSender);
      expect((await alice.client.http.myRooms()).find((r) => r.id === room.id)?.lastSeq).toBe(4 * perSender);
    });

    it('pages history backwards with before and forwards with after', async () => {
      const room = await alice.client.http.createRoom({ name: 'Pages', visibility: 'public' });
      const socket = await connect(alice);
      await socket.join(room.id);
      for (let i = 1; i <= 7; i++) await socket.send(room.id, `m${i}`);
      const latest = await alice.client.http.history(room.id, { limit: 3 });
      expect(latest.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
      expect(latest.hasMore).toBe(true);
      const older = await alice.client.http.history(room.id, { before: 5, limit: 3 });
      expect(older.messages.map((m) => m.seq)).toEqual([2, 3, 4]);
      const oldest = await alice.client.http.history(room.id, { before: 2, limit: 3 });
      expect(oldest).toMatchObject({ hasMore: false });
      expect(oldest.messages.map((m) => m.seq)).toEqual([1]);
      const after = await alice.client.http.history(room.id, { after: 5 });
      expect(after).toMatchObject({ hasMore: false });
      expect(after.messages.map((m) => m.seq)).toEqual([6, 7]);
    });

    it('lets only the sender edit or delete; the room sees message:updated and the seq stays', async () => {
      const { room, aliceSocket, bobSocket } = await bothSubscribed();
      const updates = new EventRecorder(bobSocket, 'message:updated');
      const { message } = await aliceSocket.send(room.id, 'tpyo');

      await expect(bobSocket.edit(message.id, 'hijack')).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
      await expect(bobSocket.delete(message.id)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });

      const edited = await aliceSocket.edit(message.id, 'typo');
      expect(edited.message).toMatchObject({ id: message.id, seq: message.seq, body: 'typo' });
      expect(edited.message.editedAt).not.toBeNull();
      expect(await updates.next((m) => m.body === 'typo')).toEqual(edited.message);

      const deleted = await aliceSocket.delete(message.id);
      expect(deleted.message).toMatchObject({ id: message.id, seq: message.seq, body: '' });
      expect(deleted.message.deletedAt).not.toBeNull();
      await updates.next((m) => m.deletedAt !== null);
      await expect(aliceSocket.edit(message.id, 'back')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });

      const history = await bob.client.http.history(room.id, {});
      expect(history.messages).toEqual([deleted.message]);
    });

    it('relays typing to the others in the room, not back to the typist', async () => {
      const { room, aliceSocket, bobSocket } = await bothSubscribed();
      const bobSees = new EventRecorder(bobSocket, 'typing');
      const aliceSees = new EventRecorder(aliceSocket, 'typing');

      await aliceSocket.request('typing', { roomId: room.id, isTyping: true });
      expect(await bobSees.next()).toEqual({ roomId: room.id, userId: alice.id, isTyping: true });
      await bobSocket.request('typing', { roomId: room.id, isTyping: false });
      await aliceSees.next();
      expect(aliceSees.events).toEqual([{ roomId: room.id, userId: bob.id, isTyping: false }]);

      const elsewhere = await alice.client.http.createRoom({ name: 'Not joined', visibility: 'public' });
      await expect(
        bobSocket.request('typing', { roomId: elsewhere.id, isTyping: true }),
      ).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
    });

    it('stores read receipts, tells the room, and unread counts follow', async () => {
      const { room, aliceSocket, bobSocket } = await bothSubscribed();
      const receipts = new EventRecorder(aliceSocket, 'receipt');
      for (const body of ['one', 'two', 'three']) await aliceSocket.send(room.id, body);

      const before = (await bob.client.http.myRooms()).find((r) => r.id === room.id)!;
      expect(before).toMatchObject({
        unreadCount: 3,
        lastReadSeq: 0,
        lastMessage: expect.objectContaining({ body: 'three' }),
      });
      expect((await alice.client.http.myRooms()).find((r) => r.id === room.id)?.unreadCount).toBe(0);

      expect(await bobSocket.markRead(room.id, 2)).toEqual({ lastReadSeq: 2 });
      expect(await receipts.next()).toEqual({ roomId: room.id, userId: bob.id, seq: 2 });
      expect((await bob.client.http.myRooms()).find((r) => r.id === room.id)?.unreadCount).toBe(1);

      // Never backwards, never past the last message.
      expect(await bobSocket.markRead(room.id, 1)).toEqual({ lastReadSeq: 2 });
      expect(await bobSocket.markRead(room.id, 99)).toEqual({ lastReadSeq: 3 });
      expect((await bob.client.http.members(room.id)).find((m) => m.user.id === bob.id)?.lastReadSeq).toBe(3);
    });

    it('announces presence: first connection online, last disconnection offline', async () => {
      const room = await sharedRoom();
      const aliceSocket = await connect(alice);
      await aliceSocket.join(room.id);
      const presence = new EventRecorder(aliceSocket, 'presence');

      const bobTab1 = await connect(bob);
      await presence.next((p) => p.userId === bob.id && p.online, 'bob online');
      const bobTab2 = await connect(bob);
      bobTab1.disconnect();
      expect((await alice.client.http.members(room.id)).find((m) => m.user.id === bob.id)?.online).toBe(true);
      bobTab2.disconnect();
      await presence.next((p) => p.userId === bob.id && !p.online, 'bob offline');
      expect(presence.events.filter((p) => p.userId === bob.id)).toEqual([
        { userId: bob.id, online: true },
        { userId: bob.id, online: false },
      ]);
    });
  });

  describe('bad input', () => {
    // A user of its own: every event, valid or not, spends the sender's budget, and alice has spent
    // most of her message burst in the tests above (how much depends on their timing).
    let fuzzer: TestUser;
    beforeAll(async () => {
      fuzzer = await registerUser(app.url, 'fuzzer');
    });

    const shapes: unknown[] = [
      'a string',
      null,
      42,
      true,
      [],
      [1, 2],
      {},
      { roomId: 'not-a-uuid', body: 'x', clientMsgId: 'c' },
      { roomId: { $gt: '' }, body: ['x'], clientMsgId: 7 },
      { roomId: randomUUID(), body: '', clientMsgId: 'c' },
      { roomId: randomUUID(), body: '   ', clientMsgId: 'c' },
      { roomId: randomUUID(), body: 'x'.repeat(4001), clientMsgId: 'c' },
      { roomId: randomUUID(), body: 'nul \u0000 byte', clientMsgId: 'c' },
      { roomId: randomUUID(), body: 'x', clientMsgId: 'c'.repeat(65) },
      { roomId: randomUUID(), body: 'x', clientMsgId: 'c', extra: { nested: { deeply: true } } },
      JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}'),
    ];

    it.each(shapes.map((shape) => [JSON.stringify(shape)?.slice(0, 60), shape]))(
      'answers message:send with %s by a VALIDATION ack',
      async (_, shape) => {
        const socket = await connect(fuzzer);
        const ack = await rawAck(socket, 'message:send', shape);
        expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.VALIDATION } });
      },
    );

    it.each(['room:join', 'room:leave', 'message:edit', 'message:delete', 'message:read', 'typing'])(
      'answers %s with a bad payload by a VALIDATION ack',
      async (event) => {
        const socket = await connect(fuzzer);
        for (const shape of [null, 'x', { roomId: 1, messageId: [], seq: -1, isTyping: 'yes' }]) {
          const ack = await rawAck(socket, event, shape);
          expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.VALIDATION } });
        }
      },
    );

    it('answers an unknown event with NOT_FOUND and keeps the connection', async () => {
      const socket = await connect(fuzzer);
      const ack = await rawAck(socket, 'admin:drop-tables', {});
      expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_FOUND } });
      expect(socket.connected).toBe(true);
    });

    it('surfaces error acks in the SDK as ChatSocketError with the contract code', async () => {
      const socket = await connect(fuzzer);
      const error = await socket.join('not-a-uuid').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChatSocketError);
      expect(error).toMatchObject({ code: ErrorCode.VALIDATION, fields: { roomId: expect.any(Array) } });
    });
  });
});
