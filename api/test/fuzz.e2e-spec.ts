import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

import {
  ClientEvent,
  ErrorCode,
  Limits,
  Member,
  MemberPage,
  Message,
  MyRoom,
  Room,
  ServerEvent,
} from '@chat/contracts';
import { ChatSocket } from '@chat/sdk';

import { MAX_PACKET_BYTES } from '../src/realtime/cluster-io.adapter';
import { EventRecorder, rawAck } from './support/events';
import {
  HttpAnswer,
  ProcessFaults,
  anyNumber,
  anyText,
  anyValue,
  assertContractAck,
  assertContractHttpAnswer,
  assertNotPolluted,
  deeplyNested,
  deeplyNestedJson,
  idLike,
  idRef,
  nested,
  nestedJson,
  nonObject,
  prototypeKeys,
  renderIds,
  requestObject,
  textAround,
  utf16String,
} from './support/fuzz';
import { TestApp, startTestApp } from './support/test-app';
import { TestUser, rawRequest, registerUser, uniqueName } from './support/users';

/** A path segment the URL parser resolves away: `.` or `..`, any of its dots spelled `%2e`. */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?=[/?#]|$)/i;

/**
 * Property-based fuzzing of every input surface of one in-process app: socket events, raw Socket.IO
 * packets, stored text, REST bodies, params and queries. Whatever arrives, the answer is a contract
 * ack or a contract 4xx, the connection survives, the process sees no unhandled rejection, no
 * prototype is polluted, stored text comes back byte-for-byte, and refused requests change nothing.
 * fast-check prints the seed and the shrunk counterexample of a failure; replay it with `seed`.
 */
describe('fuzzing every input (fast-check)', () => {
  let app: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let mallory: TestUser;
  /** Alice's socket that every event fuzz goes through: it must stay up and keep working. */
  let fuzzed: ChatSocket;
  /** Alice's room for the event fuzz, with one message of hers; Bob's private room she is not in. */
  let aliceRoom: Room;
  let aliceMessage: Message;
  let bobsRoom: Room;
  const sockets: ChatSocket[] = [];
  const faults = new ProcessFaults();
  let prototypes: string[][];

  async function connect(user: TestUser): Promise<ChatSocket> {
    const socket = user.client.socket({ reconnection: false });
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  /** An unknown event with an ack: answered NOT_FOUND by a connected socket whose events are handled. */
  async function assertServing(socket: ChatSocket): Promise<void> {
    expect(socket.connected).toBe(true);
    expect(await rawAck(socket, 'fuzz:probe')).toMatchObject({
      ok: false,
      error: { code: ErrorCode.NOT_FOUND },
    });
  }

  function assertProcessHealthy(): void {
    expect(faults.seen).toEqual([]);
    assertNotPolluted(prototypes);
  }

  async function http(
    method: string,
    path: string,
    options: { token?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer & { json: () => any }> {
    const { status, text, headers } = await rawRequest(app.url, method, path, options);
    return { status, contentType: headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
  }

  beforeAll(async () => {
    faults.start();
    prototypes = prototypeKeys();
    app = await startTestApp({
      MESSAGE_RATE_LIMIT: '1000000',
      EDIT_RATE_LIMIT: '1000000',
      EVENT_RATE_LIMIT: '1000000',
      SEARCH_RATE_LIMIT: '1000000',
      MAX_CONNECTIONS_PER_USER: '1000',
    });
    [alice, bob, mallory] = await Promise.all(
      ['alice', 'bob', 'mallory'].map((name) => registerUser(app.url, name)),
    );
    aliceRoom = await alice.client.http.createRoom({ name: 'Fuzz', visibility: 'public' });
    bobsRoom = await bob.client.http.createRoom({ name: 'Not yours', visibility: 'private' });
    fuzzed = await connect(alice);
    await fuzzed.join(aliceRoom.id);
    aliceMessage = (await fuzzed.send(aliceRoom.id, 'first')).message;
  });
  afterEach(() => assertProcessHealthy());
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app?.close();
    faults.stop();
  });

  describe('socket events', () => {
    /** Names the client library refuses to emit (they are its own events). */
    const CLIENT_RESERVED = new Set([
      'connect',
      'connect_error',
      'disconnect',
      'disconnecting',
      'newListener',
      'removeListener',
    ]);
    const NO_PAYLOAD = Symbol('no payload');

    const eventName = () =>
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...Object.values(ClientEvent)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            ...Object.values(ServerEvent),
            'error',
            'message',
            '__proto__',
            'constructor',
            'hasOwnProperty',
            'MESSAGE:SEND',
            ' room:join',
            'room:join\u0000',
          ),
        },
        { weight: 1, arbitrary: anyText(30).filter((name) => !CLIENT_RESERVED.has(name)) },
      );

    const payloadFields = () => {
      const ids = [aliceRoom.id, bobsRoom.id, aliceMessage.id, alice.id, bob.id];
      return {
        roomId: idLike(ids),
        messageId: idLike(ids),
        threadRootId: idLike(ids),
        emoji: fc.oneof(fc.constantFrom('👍', '❤️', '🇫🇷'), anyText(40), anyValue),
        body: fc.oneof(anyText(), textAround(Limits.MESSAGE_BODY_MAX), anyValue, deeplyNested(2_000)),
        clientMsgId: fc.oneof(fc.uuid(), anyText(70), anyNumber),
        seq: fc.oneof(fc.nat(5), anyNumber, anyText()),
        isTyping: fc.oneof(fc.boolean(), anyValue),
        attachmentIds: fc.oneof(fc.array(idLike(ids), { maxLength: 12 }), anyValue),
        token: fc.oneof(fc.constantFrom(alice.auth.accessToken, bob.auth.accessToken), anyText(), anyValue),
      };
    };

    it('answers every event, whatever its payload, with a contract ack (never INTERNAL) and keeps the socket', async () => {
      const emission = fc.record({
        event: eventName(),
        payload: fc.oneof(
          { weight: 6, arbitrary: requestObject(payloadFields()) },
          { weight: 1, arbitrary: nonObject },
          { weight: 1, arbitrary: anyValue },
          { weight: 1, arbitrary: deeplyNested(2_000) },
          { weight: 1, arbitrary: fc.constant(NO_PAYLOAD) },
        ),
        extra: fc.oneof(
          { weight: 4, arbitrary: fc.constant([]) },
          fc.array(anyValue, { minLength: 1, maxLength: 3 }),
        ),
        acked: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
      });

      await fc.assert(
        fc.asyncProperty(emission, async ({ event, payload, extra, acked }) => {
          const args: unknown[] = payload === NO_PAYLOAD ? [...extra] : [payload, ...extra];
          fc.pre(packetBytes(event, args) < MAX_PACKET_BYTES);
          let answer: unknown;
          try {
            answer = acked
              ? await rawAck(fuzzed, event, ...args)
              : (fuzzed.socket as unknown as { emit(...a: unknown[]): void }).emit(event, ...args);
          } catch (error) {
            // socket.io-client's own encoder cannot send some values (a `__proto__` key beside binary
            // data makes its copy inherit from the key's value): that packet never left this process.
            fc.pre(!(error instanceof TypeError));
            throw error;
          }
          if (acked) assertContractAck(answer);
          await assertServing(fuzzed);
          assertProcessHealthy();
        }),
        { numRuns: 300 },
      );

      // The fuzzing left the socket fully working, and still as Alice.
      const room = await rawAck(fuzzed, ClientEvent.ROOM_JOIN, { roomId: aliceRoom.id });
      expect(room).toMatchObject({ ok: true, room: { id: aliceRoom.id } });
      const sent = await rawAck(fuzzed, ClientEvent.MESSAGE_SEND, {
        roomId: aliceRoom.id,
        body: 'still here',
        clientMsgId: randomUUID(),
      });
      expect(sent).toMatchObject({ ok: true, message: { senderId: alice.id, body: 'still here' } });
      expect(await rawAck(fuzzed, ClientEvent.TYPING, { roomId: aliceRoom.id, isTyping: false })).toEqual({
        ok: true,
      });
    }, 60_000);

    it('survives malformed raw Socket.IO packets: the sender may be dropped, every other socket is served', async () => {
      // Socket.IO packets as the engine carries them: type digit, optional namespace and ack id, JSON.
      const MALFORMED = [
        '',
        'x',
        '2',
        '2[',
        '2{}',
        '2[]',
        '2[null]',
        '2[1]',
        '27[7,{}]',
        '2[{}]',
        '2["disconnect"]',
        '2["connect",{}]',
        '2["newListener","x"]',
        '2["error",{}]',
        '23["message:send"]',
        '2999999999999999999999["room:join",{}]',
        '2-1["room:join",{}]',
        '3[]',
        '31["x"]',
        '4{}',
        '51-["message:send",{"_placeholder":true,"num":0}]',
        '51-["message:send",{"_placeholder":true,"num":9}]',
        '0',
        '1',
        '0/admin,',
        '0/nope,{}',
        '2/nope,["room:join",{}]',
        '7',
        `2["room:join",${'['.repeat(2_000)}${']'.repeat(2_000)}]`,
        '2["room:join",{"__proto__":{"polluted":"yes"},"roomId":"x"}]',
      ];
      // Binary events: the header, then its attachments as binary frames (or not).
      const placeholder = (num: number) => `{"_placeholder":true,"num":${num}}`;
      const BINARY: (string | Buffer)[][] = [
        [`51-["room:join",${placeholder(0)}]`, Buffer.from([1, 2, 3])],
        [`521["message:send",${placeholder(0)},${placeholder(1)}]`, Buffer.alloc(2), Buffer.alloc(0)],
        [`51-["message:send",${'['.repeat(9_000)}${placeholder(0)}${']'.repeat(9_000)}]`, Buffer.alloc(1)],
        [`51-["message:send",${placeholder(0)}]`, '2["room:join",{}]'],
        [`52-["message:send",${placeholder(0)}]`, Buffer.alloc(1)],
      ];
      const frames = fc.oneof(
        fc.constantFrom(...MALFORMED).map((packet) => [packet]),
        fc.constantFrom(...BINARY),
        fc
          .tuple(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '21', '2/x,'), anyText())
          .map(([head, tail]) => [head + tail]),
        fc
          .tuple(fc.constantFrom('2', '21', '3', '31', '5', '6'), fc.json())
          .map(([head, json]) => [head + json]),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => [Buffer.from(bytes)]),
      );

      await fc.assert(
        fc.asyncProperty(frames, async (raw) => {
          const victim = await connect(alice);
          const dropped = new Promise<'dropped'>((resolve) =>
            victim.socket.once('disconnect', () => resolve('dropped')),
          );
          const engine = victim.socket.io.engine as unknown as { write(data: string | Buffer): void };
          for (const frame of raw) engine.write(frame);
          // Packets are handled in order: the probe is answered unless the packet got the socket closed.
          const outcome = await Promise.race([
            rawAck(victim, 'fuzz:probe').then(
              (ack) => ack,
              (error: Error) => error,
            ),
            dropped,
          ]);
          if (outcome !== 'dropped') {
            expect(outcome).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_FOUND } });
          }
          victim.disconnect();
          await assertServing(fuzzed);
          assertProcessHealthy();
        }),
        { numRuns: 60 },
      );
    }, 60_000);

    it('drops a socket whose packet exceeds maxHttpBufferSize and goes on serving the others', async () => {
      const sender = await connect(alice);
      const dropped = new Promise<string>((resolve) => sender.socket.once('disconnect', resolve));
      const body = 'x'.repeat(MAX_PACKET_BYTES + 1);
      (sender.socket as unknown as { emit(...a: unknown[]): void }).emit(ClientEvent.MESSAGE_SEND, {
        roomId: aliceRoom.id,
        body,
        clientMsgId: randomUUID(),
      });
      expect(await dropped).toBe('transport close');
      await assertServing(fuzzed);
      const page = await alice.client.http.history(aliceRoom.id, {
        before: Number.MAX_SAFE_INTEGER,
        limit: 5,
      });
      expect(page.messages.some((message) => message.body === body)).toBe(false);
    });
  });

  describe('stored text comes back byte-for-byte, or is refused as the contract says', () => {
    /** The contract's rule: 1..max characters counted as Postgres counts them (code points), no NUL, no lone surrogate. */
    const storable = (text: string, max: number) => {
      const length = [...text].length;
      return length >= 1 && length <= max && !text.includes('\u0000') && text.isWellFormed();
    };
    const blank = (text: string) => text.trim() === '';

    const text = (limit: number) =>
      fc.oneof(
        anyText(60),
        fc.string({ unit: 'binary', maxLength: limit + 10 }),
        fc.string({ unit: 'grapheme', maxLength: limit + 10 }),
        utf16String(limit + 10),
        { weight: 2, arbitrary: textAround(limit) },
      );

    it('message:send and message:edit store the body exactly, or answer VALIDATION for an invalid one', async () => {
      const room = await alice.client.http.createRoom({ name: 'Text', visibility: 'private' });
      const socket = await connect(alice);
      const editable = (await socket.send(room.id, 'to be edited')).message;
      const storedBody = async (message: Message) =>
        (await alice.client.http.history(room.id, { after: message.seq - 1, limit: 1 })).messages[0].body;

      await fc.assert(
        fc.asyncProperty(text(Limits.MESSAGE_BODY_MAX), async (body) => {
          const valid = storable(body, Limits.MESSAGE_BODY_MAX) && !blank(body);
          const payload = { roomId: room.id, body, clientMsgId: randomUUID() };
          const bytes = packetBytes(ClientEvent.MESSAGE_SEND, [payload]);
          // Any valid message must fit in a packet; an invalid one too large for it is the over-size case above.
          if (valid && bytes > MAX_PACKET_BYTES) {
            throw new Error(
              `a valid message takes ${bytes} bytes, over maxHttpBufferSize (${MAX_PACKET_BYTES})`,
            );
          }
          fc.pre(bytes <= MAX_PACKET_BYTES);
          const sent = await rawAck(socket, ClientEvent.MESSAGE_SEND, payload);
          assertContractAck(sent);
          const edited = await rawAck(socket, ClientEvent.MESSAGE_EDIT, { messageId: editable.id, body });
          assertContractAck(edited);
          if (!valid) {
            expect(sent.error).toMatchObject({
              code: ErrorCode.VALIDATION,
              fields: { body: expect.any(Array) },
            });
            expect(edited.error).toMatchObject({
              code: ErrorCode.VALIDATION,
              fields: { body: expect.any(Array) },
            });
            return;
          }
          expect(sent.ok).toBe(true);
          expect(sent.message.body).toBe(body);
          expect(await storedBody(sent.message)).toBe(body);
          expect(edited.ok).toBe(true);
          expect(edited.message.body).toBe(body);
          expect(await storedBody(editable)).toBe(body);
        }),
        { numRuns: 120 },
      );
    }, 60_000);

    it('reaction:add stores one emoji exactly and lists it once, or answers VALIDATION', async () => {
      const room = await alice.client.http.createRoom({ name: 'Reactions', visibility: 'private' });
      const socket = await connect(alice);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom('👍', '❤️', '👨‍👩‍👧‍👦', '🇫🇷', '1️⃣', '👍🏽', '👍👍', ':+1:', '1', 'á'),
            text(Limits.EMOJI_MAX),
          ),
          async (emoji) => {
            // A message per run: the distinct-emoji cap of one message must not decide the outcome.
            const { message } = await socket.send(room.id, 'react to me');
            const added = await rawAck(socket, ClientEvent.REACTION_ADD, { messageId: message.id, emoji });
            assertContractAck(added);
            const page = await alice.client.http.history(room.id, { after: message.seq - 1, limit: 1 });
            if (!added.ok) {
              expect(added.error).toMatchObject({
                code: ErrorCode.VALIDATION,
                fields: { emoji: expect.any(Array) },
              });
              expect(page.messages[0].reactions).toEqual([]);
              return;
            }
            expect(added.reactions).toEqual([{ emoji, count: 1, userIds: [alice.id] }]);
            expect(page.messages[0].reactions).toEqual([{ emoji, count: 1, userIds: [alice.id] }]);
          },
        ),
        { numRuns: 80 },
      );
    }, 60_000);

    it('POST /api/rooms stores the name exactly (trimmed), or answers 400 for an invalid one', async () => {
      await fc.assert(
        fc.asyncProperty(text(Limits.ROOM_NAME_MAX), async (name) => {
          const valid = storable(name, Limits.ROOM_NAME_MAX) && !blank(name);
          const created = await http('POST', '/api/rooms', {
            token: alice.auth.accessToken,
            body: JSON.stringify({ name, visibility: 'private' }),
          });
          assertContractHttpAnswer(created);
          if (!valid) {
            expect(created.status).toBe(400);
            expect(created.json()).toMatchObject({
              code: ErrorCode.VALIDATION,
              fields: { name: expect.any(Array) },
            });
            return;
          }
          expect(created.status).toBe(201);
          expect(created.json().name).toBe(name.trim());
          const mine: MyRoom[] = await alice.client.http.myRooms();
          expect(mine.find((room) => room.id === created.json().id)?.name).toBe(name.trim());
        }),
        { numRuns: 100 },
      );
    }, 60_000);

    it('POST /api/auth/register stores the display name exactly (trimmed, blank = username), or answers 400', async () => {
      await fc.assert(
        fc.asyncProperty(text(Limits.DISPLAY_NAME_MAX), async (displayName) => {
          const valid = storable(displayName, Limits.DISPLAY_NAME_MAX);
          const username = uniqueName('fz');
          const registered = await http('POST', '/api/auth/register', {
            body: JSON.stringify({ username, password: 'correct horse battery', displayName }),
          });
          assertContractHttpAnswer(registered);
          if (!valid) {
            expect(registered.status).toBe(400);
            expect(registered.json()).toMatchObject({ fields: { displayName: expect.any(Array) } });
            return;
          }
          expect(registered.status).toBe(201);
          const expected = displayName.trim() || username;
          expect(registered.json().user.displayName).toBe(expected);
          const me = await http('GET', '/api/auth/me', { token: registered.json().accessToken });
          expect(me.json().displayName).toBe(expected);
        }),
        { numRuns: 40 },
      );
    }, 60_000);
  });

  describe('cases the fuzzing found, kept as examples', () => {
    const send = (socket: ChatSocket, body: unknown, roomId = aliceRoom.id) =>
      rawAck(socket, ClientEvent.MESSAGE_SEND, { roomId, body, clientMsgId: randomUUID() });

    it('counts text in code points, as Postgres counts varchar(n): "❤️" is two (class-validator counted one, and the insert failed with INTERNAL)', async () => {
      const fits = '❤️'.repeat(Limits.MESSAGE_BODY_MAX / 2);
      const tooLong = `${fits}❤️`;
      expect(await send(fuzzed, tooLong)).toMatchObject({
        ok: false,
        error: { code: ErrorCode.VALIDATION, fields: { body: expect.any(Array) } },
      });
      expect(await send(fuzzed, fits)).toMatchObject({ ok: true, message: { body: fits } });

      const room = await http('POST', '/api/rooms', {
        token: alice.auth.accessToken,
        body: JSON.stringify({ name: '❤️'.repeat(Limits.ROOM_NAME_MAX / 2 + 1), visibility: 'public' }),
      });
      expect(room.status).toBe(400);
      expect(room.json()).toMatchObject({ code: ErrorCode.VALIDATION, fields: { name: expect.any(Array) } });
      const user = await http('POST', '/api/auth/register', {
        body: JSON.stringify({
          username: uniqueName('fz'),
          password: 'correct horse battery',
          displayName: 'a\ufe0f'.repeat(Limits.DISPLAY_NAME_MAX / 2 + 1),
        }),
      });
      expect(user.status).toBe(400);
      expect(user.json()).toMatchObject({
        code: ErrorCode.VALIDATION,
        fields: { displayName: expect.any(Array) },
      });
    });

    it('takes a valid message of 4,000 control characters in one packet (6 bytes each as JSON; it used to close the connection)', async () => {
      const socket = await connect(alice);
      const body = '\u0001'.repeat(Limits.MESSAGE_BODY_MAX);
      expect(await send(socket, body)).toMatchObject({ ok: true, message: { body } });
      await assertServing(socket);
    });

    it('refuses input nested thousands of levels deep as VALIDATION (it overflowed the stack: INTERNAL, or a 500)', async () => {
      const answer = await http('POST', '/api/rooms', {
        token: alice.auth.accessToken,
        body: nestedJson(5_000, 'object'),
      });
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: ErrorCode.VALIDATION });
      expect(await rawAck(fuzzed, ClientEvent.ROOM_JOIN, nested(3_000, 'array'))).toMatchObject({
        ok: false,
        error: { code: ErrorCode.VALIDATION },
      });
      expect(await send(fuzzed, nested(3_000, 'object'))).toMatchObject({
        ok: false,
        error: { code: ErrorCode.VALIDATION },
      });
    });

    it('answers a URL over Node’s 16 KB header limit with a contract 431, not a bare status line', async () => {
      const answer = await http('GET', `/api/users?search=${'a'.repeat(20_000)}`, {
        token: alice.auth.accessToken,
      });
      expect(answer.status).toBe(431);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.json()).toEqual({
        statusCode: 431,
        code: ErrorCode.VALIDATION,
        message: 'Request Header Fields Too Large',
      });
    });

    it('reads an id in any case as the same id (uppercase ones were a second identity)', async () => {
      // The owner cannot ban herself by spelling her id in capitals; she stays the owner.
      const room = await alice.client.http.createRoom({ name: 'Mine', visibility: 'private' });
      const ban = await http('POST', `/api/rooms/${room.id.toUpperCase()}/bans`, {
        token: alice.auth.accessToken,
        body: JSON.stringify({ userId: alice.id.toUpperCase() }),
      });
      expect(ban.status).toBe(400);
      expect(await alice.client.http.members(room.id)).toEqual([
        expect.objectContaining({ user: expect.objectContaining({ id: alice.id }), role: 'owner' }),
      ]);

      // Two users have one direct room, however the id is spelled.
      const direct = await http('POST', '/api/rooms/direct', {
        token: mallory.auth.accessToken,
        body: JSON.stringify({ userId: bob.id.toUpperCase() }),
      });
      expect(direct.status).toBe(200);
      expect(direct.json().id).toBe((await mallory.client.http.directRoom(bob.id)).id);

      // A socket that joined with the id in capitals gets the room's messages (it was in a channel no one emits to).
      const listener = await connect(mallory);
      expect(
        await rawAck(listener, ClientEvent.ROOM_JOIN, { roomId: aliceRoom.id.toUpperCase() }),
      ).toMatchObject({
        ok: true,
        room: { id: aliceRoom.id },
      });
      const received = new EventRecorder(listener, 'message:new');
      const body = `hello ${randomUUID()}`;
      expect(await send(fuzzed, body, aliceRoom.id.toUpperCase())).toMatchObject({
        ok: true,
        message: { roomId: aliceRoom.id },
      });
      await expect(received.next((message) => message.body === body, 'the message')).resolves.toMatchObject({
        roomId: aliceRoom.id,
      });
      received.stop();
    });

    it('answers before/after beyond a bigint with 400 (a 500 before 3b2cd12)', async () => {
      for (const query of ['after=1e22', 'before=99999999999999999999', 'after=9223372036854775808']) {
        const answer = await http('GET', `/api/rooms/${aliceRoom.id}/messages?${query}`, {
          token: alice.auth.accessToken,
        });
        expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      }
    });
  });

  describe('REST', () => {
    type Actor = 'alice' | 'bob' | 'mallory' | 'anonymous' | 'forged';
    const userOf = (actor: Actor) => ({ alice, bob, mallory })[actor as 'alice' | 'bob' | 'mallory'];
    const tokenOf = (actor: Actor): string | undefined =>
      actor === 'anonymous'
        ? undefined
        : actor === 'forged'
          ? `${mallory.auth.accessToken.slice(0, -4)}AAAA`
          : userOf(actor).auth.accessToken;

    /** What the fuzzing must not change unless the request succeeded: as its owner Alice sees it. */
    interface RoomState {
      room: unknown;
      members: unknown;
      messages: unknown;
    }
    /**
     * The messages of a history answer that people wrote, by sender id (PATCH /api/account renames
     * senders); an error body stays as it is.
     */
    const withoutSystem = (page: unknown) => {
      const messages = (page as { messages?: Message[] }).messages;
      return messages
        ? messages
            .filter((message) => !message.system)
            .map((message) => ({ ...message, sender: message.senderId }))
        : page;
    };

    async function roomState(roomId: string): Promise<RoomState> {
      const token = alice.auth.accessToken;
      const [rooms, members, history] = await Promise.all([
        http('GET', '/api/rooms', { token }),
        http('GET', `/api/rooms/${roomId}/members`, { token }),
        http('GET', `/api/rooms/${roomId}/messages?after=0&limit=${Limits.HISTORY_PAGE_MAX}`, { token }),
      ]);
      // Presence (`online`) is not the room's data, and may change on its own.
      const withoutPresence = (member: Member) => ({ ...member, online: undefined });
      return {
        room: (rooms.json() as MyRoom[]).find((room) => room.id === roomId) ?? null,
        members:
          members.status === 200
            ? (members.json() as MemberPage).members.map(withoutPresence)
            : members.json(),
        messages: history.json(),
      };
    }

    /** A room of Alice's own, with Bob in it and one message. */
    let messenger: ChatSocket;
    async function freshRoom(): Promise<Room> {
      const room = await alice.client.http.createRoom({ name: 'Target', visibility: 'private' });
      await alice.client.http.addMember(room.id, bob.id);
      await messenger.send(room.id, 'history that must stay');
      return room;
    }
    /** The runs' room and its state: reused while requests leave it as it was, replaced after any change. */
    let clean: { room: Room; state: RoomState } | null = null;
    async function cleanRoom(): Promise<{ room: Room; state: RoomState }> {
      if (!clean) {
        const room = await freshRoom();
        clean = { room, state: await roomState(room.id) };
      }
      return clean;
    }
    beforeAll(async () => {
      messenger = await connect(alice);
    });

    const USER_NAMES = ['alice', 'bob', 'mallory'];
    const ROOM_NAMES = ['room', 'room', 'room', 'aliceRoom', 'bobsRoom'];

    /** A path segment: a room or user id in any spelling, or what is no id at all. */
    const segment = (names: string[]) =>
      fc.oneof(
        { weight: 6, arbitrary: idRef(names) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '%',
            '%E0%A4%A',
            '%00',
            '%2e%2e',
            '..%2F',
            '%ZZ',
            'null',
            '-1',
            'a'.repeat(3_000),
          ),
        },
      );

    /** Query strings: the known keys often, bracketed and repeated forms, out-of-range numbers, raw escapes. */
    const queryString = (keys: string[]) =>
      fc
        .array(
          fc.tuple(
            fc.oneof(
              { weight: 4, arbitrary: fc.constantFrom(...keys) },
              {
                weight: 1,
                arbitrary: fc.constantFrom(
                  ...keys.map((key) => `${key}[]`),
                  '__proto__[polluted]',
                  'constructor[prototype][polluted]',
                ),
              },
              { weight: 1, arbitrary: anyText(10).map(encodeSegment) },
            ),
            fc.oneof(
              {
                weight: 3,
                arbitrary: fc.constantFrom(
                  '',
                  '0',
                  '1',
                  '1.5',
                  '-1',
                  '1e3',
                  '1e22',
                  '1e308',
                  '9007199254740993',
                  '9223372036854775807',
                  '9223372036854775808',
                  '99999999999999999999',
                  'NaN',
                  'Infinity',
                  '0x10',
                  '%20',
                  '%',
                  '%00',
                  '%ff',
                  '%ED%A0%80',
                ),
              },
              { weight: 1, arbitrary: fc.integer().map(String) },
              { weight: 1, arbitrary: anyText(70).map(encodeSegment) },
            ),
          ),
          { maxLength: 4 },
        )
        .map((pairs) =>
          pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`,
        );

    /** A JSON body: mostly the expected fields with hostile values, sometimes anything else. */
    const json = (fields: Record<string, fc.Arbitrary<unknown>>) =>
      fc.oneof(
        {
          weight: 7,
          arbitrary: fc
            .oneof(
              { weight: 4, arbitrary: fc.record(fields) },
              { weight: 3, arbitrary: requestObject(fields) },
              nonObject,
            )
            .map((body) => JSON.stringify(body) ?? 'null'),
        },
        { weight: 1, arbitrary: deeplyNestedJson },
      );
    const userBody = json({ userId: idRef(USER_NAMES) });
    const credentials = json({
      username: fc.oneof(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,40}$/), anyText(), anyValue),
      password: fc.oneof(anyText(300), anyValue),
      displayName: fc.oneof(anyText(), anyValue),
    });

    // Members most of the time: an outsider is refused before the input matters.
    const anyone = fc.oneof(
      { weight: 3, arbitrary: fc.constant<Actor>('alice') },
      { weight: 2, arbitrary: fc.constant<Actor>('bob') },
      { weight: 2, arbitrary: fc.constantFrom<Actor>('mallory', 'anonymous', 'forged') },
    );
    // Alice, the owner, never leaves the run's room: an owner may, and that would end the run's checks.
    const notAlice = fc.oneof(
      { weight: 2, arbitrary: fc.constant<Actor>('bob') },
      { weight: 1, arbitrary: fc.constantFrom<Actor>('mallory', 'anonymous', 'forged') },
    );
    const roomPath = (suffix: string) => segment(ROOM_NAMES).map((id) => `/api/rooms/${id}${suffix}`);

    /** Every REST endpoint with a body, params or a query (api/src/**\/*.controller.ts). */
    const ENDPOINTS: [string, fc.Arbitrary<Actor>, fc.Arbitrary<string>, fc.Arbitrary<string | undefined>][] =
      [
        ['POST /api/auth/register', anyone, fc.constant('/api/auth/register'), credentials],
        ['POST /api/auth/login', anyone, fc.constant('/api/auth/login'), credentials],
        [
          'POST /api/rooms',
          anyone,
          fc.constant('/api/rooms'),
          json({
            name: fc.oneof(anyText(), anyValue),
            visibility: fc.oneof(fc.constantFrom('public', 'private', 'PUBLIC', 'secret'), anyValue),
            capacity: fc.oneof(anyNumber, anyValue),
          }),
        ],
        ['POST /api/rooms/direct', anyone, fc.constant('/api/rooms/direct'), userBody],
        ['POST /api/rooms/:id/join', anyone, roomPath('/join'), fc.constant(undefined)],
        ['POST /api/rooms/:id/leave', notAlice, roomPath('/leave'), fc.constant(undefined)],
        ['POST /api/rooms/:id/members', anyone, roomPath('/members'), userBody],
        ['GET /api/rooms/:id/members', anyone, roomPath('/members'), fc.constant(undefined)],
        ['POST /api/rooms/:id/bans', anyone, roomPath('/bans'), userBody],
        [
          'DELETE /api/rooms/:id/bans/:userId',
          anyone,
          fc
            .tuple(segment(ROOM_NAMES), segment(USER_NAMES))
            .map(([room, user]) => `/api/rooms/${room}/bans/${user}`),
          fc.constant(undefined),
        ],
        [
          'PATCH /api/rooms/:id',
          anyone,
          roomPath(''),
          json({ name: fc.oneof(anyText(), anyValue), topic: fc.oneof(anyText(600), anyValue) }),
        ],
        [
          'PUT /api/rooms/:id/members/:userId/role',
          anyone,
          fc
            .tuple(segment(ROOM_NAMES), segment(USER_NAMES))
            .map(([room, user]) => `/api/rooms/${room}/members/${user}/role`),
          json({ role: fc.oneof(fc.constantFrom('admin', 'member', 'owner', 'ADMIN'), anyValue) }),
        ],
        // Alice handing the room over or deleting it would end the run's checks (she stays its owner).
        ['PUT /api/rooms/:id/owner', notAlice, roomPath('/owner'), userBody],
        ['DELETE /api/rooms/:id', notAlice, roomPath(''), fc.constant(undefined)],
        [
          'DELETE /api/rooms/:id/members/:userId',
          anyone,
          fc
            .tuple(segment(ROOM_NAMES), segment(USER_NAMES))
            .map(([room, user]) => `/api/rooms/${room}/members/${user}`),
          fc.constant(undefined),
        ],
        ['POST /api/rooms/:id/archive', anyone, roomPath('/archive'), fc.constant(undefined)],
        ['DELETE /api/rooms/:id/archive', anyone, roomPath('/archive'), fc.constant(undefined)],
        [
          'PATCH /api/account',
          anyone,
          fc.constant('/api/account'),
          json({ displayName: fc.oneof(anyText(), anyValue) }),
        ],
        // Wrong passwords count against the login throttle: only people whose sign-in the run never needs.
        [
          'POST /api/account/password',
          fc.constantFrom<Actor>('mallory', 'anonymous', 'forged'),
          fc.constant('/api/account/password'),
          json({
            currentPassword: fc.oneof(anyText(300), anyValue),
            newPassword: fc.oneof(anyText(300), anyValue),
          }),
        ],
        [
          'DELETE /api/account',
          fc.constantFrom<Actor>('mallory', 'anonymous', 'forged'),
          fc.constant('/api/account'),
          json({ password: fc.oneof(anyText(300), anyValue) }),
        ],
        [
          'GET /api/rooms/:id/messages',
          anyone,
          fc
            .tuple(
              segment(ROOM_NAMES),
              queryString(['before', 'after', 'around', 'limit', 'threadRootId', 'topLevel']),
            )
            .map(([id, query]) => `/api/rooms/${id}/messages${query}`),
          fc.constant(undefined),
        ],
        [
          'POST /api/attachments/signed-urls',
          anyone,
          fc.constant('/api/attachments/signed-urls'),
          json({ attachmentIds: fc.oneof(fc.array(idRef(ROOM_NAMES), { maxLength: 120 }), anyValue) }),
        ],
        [
          'GET /api/attachments/:id',
          anyone,
          fc
            .tuple(segment(ROOM_NAMES), queryString(['user', 'expires', 'sig']))
            .map(([id, query]) => `/api/attachments/${id}${query}`),
          fc.constant(undefined),
        ],
        [
          'PUT /api/rooms/:id/notifications',
          anyone,
          roomPath('/notifications'),
          json({ level: fc.oneof(fc.constantFrom('all', 'mentions', 'none', 'ALL', ''), anyValue) }),
        ],
        [
          'GET /api/users',
          anyone,
          queryString(['search']).map((query) => `/api/users${query}`),
          fc.constant(undefined),
        ],
        [
          'GET /api/rooms/public',
          anyone,
          queryString(['search']).map((query) => `/api/rooms/public${query}`),
          fc.constant(undefined),
        ],
        [
          'GET /api/search',
          anyone,
          fc
            .tuple(
              fc.oneof(
                fc.constantFrom('', '?q=hello', '?q=%22a%20b%22%20-c%20or%20d', '?q=a%26b%7C!c%3A*'),
                fc
                  .tuple(segment(ROOM_NAMES), anyText(40).map(encodeSegment))
                  .map(([id, q]) => `?roomId=${id}&q=${q}`),
              ),
              queryString(['q', 'roomId', 'from', 'before', 'cursor', 'limit']),
            )
            .map(([first, rest]) => `/api/search${first}${first && rest ? `&${rest.slice(1)}` : rest}`),
          fc.constant(undefined),
        ],
      ];

    it.each(ENDPOINTS)(
      '%s: any request gets a 2xx or a contract 4xx; a refused one changes nothing, none breaks the room',
      async (route, actors, paths, bodies) => {
        const method = route.split(' ')[0];
        await fc.assert(
          fc.asyncProperty(actors, paths, bodies, async (actor, path, body) => {
            const { room, state: before } = await cleanRoom();
            const ids = {
              room: room.id,
              aliceRoom: aliceRoom.id,
              bobsRoom: bobsRoom.id,
              alice: alice.id,
              bob: bob.id,
              mallory: mallory.id,
            };
            const sentBody =
              body === undefined ? undefined : renderIds(body, ids, (id) => JSON.stringify(id).slice(1, -1));

            const sentPath = renderIds(path, ids, encodeSegment);
            // fetch's URL parser resolves `.` and `..` segments (`%2e` spelled too) before anything is
            // sent: `/api/rooms/:id/bans/%2e%2e` leaves as `DELETE /api/rooms/:id/`, another request
            // (its owner deleting the room), not the one this property is about.
            fc.pre(!DOT_SEGMENT.test(sentPath));
            const answer = await http(method, sentPath, {
              token: tokenOf(actor),
              body: sentBody,
            });
            assertContractHttpAnswer(answer);

            const after = await roomState(room.id);
            if (!isDeepStrictEqual(after, before)) clean = null;
            if (answer.status >= 400) expect(after).toEqual(before);
            // Whatever succeeded: REST writes no message (but the system message of an administrative
            // change), and the owner stays the owner and a member.
            expect(withoutSystem(after.messages)).toEqual(withoutSystem(before.messages));
            expect(after.members).toContainEqual(
              expect.objectContaining({ user: expect.objectContaining({ id: alice.id }), role: 'owner' }),
            );
            if (route === 'POST /api/rooms/direct' && answer.status < 300) {
              // However its id was spelled, a user has one direct room with the caller.
              const peer = (JSON.parse(sentBody!) as { userId: string }).userId.toLowerCase();
              expect(answer.json().id).toBe((await userOf(actor).client.http.directRoom(peer)).id);
            }
            assertProcessHealthy();
          }),
          { numRuns: 50 },
        );
      },
      60_000,
    );

    it('answers malformed JSON, wrong content types and encodings, bad bytes and huge bodies with a contract 4xx', async () => {
      const target = await freshRoom();
      const before = await roomState(target.id);
      const path = fc.constantFrom(
        '/api/auth/register',
        '/api/auth/login',
        '/api/rooms',
        '/api/rooms/direct',
        `/api/rooms/${target.id}/members`,
        `/api/rooms/${target.id}/bans`,
      );
      const validLooking = fc.constantFrom(
        JSON.stringify({ userId: bob.id }),
        JSON.stringify({ name: 'x', visibility: 'public' }),
        JSON.stringify({ username: 'someone', password: 'correct horse battery' }),
      );
      const malformedJson = fc.oneof(
        fc.constantFrom(
          '',
          '{',
          '{"userId":',
          '{"__proto__":{"polluted":"yes"}',
          "{'userId':1}",
          '{"userId":1,}',
          'undefined',
          'NaN',
          '1',
          '"text"',
          'null',
          '[]',
          '\ufeff{}',
          '{"a":1}{"b":2}',
          '{"name":"\\ud800","visibility":"public"}',
          '{"name":"\\u0000","visibility":"public"}',
          '['.repeat(10_000),
          `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
        ),
        anyText(200),
      );
      const request = fc.oneof(
        fc.record({ body: malformedJson, headers: fc.constant({ 'content-type': 'application/json' }) }),
        fc.record({
          body: validLooking,
          headers: fc
            .constantFrom(
              'text/plain',
              'application/x-www-form-urlencoded',
              'multipart/form-data; boundary=x',
              'application/xml',
              'application/json; charset=utf-16',
              'application/json; charset=latin1',
              'application/json; charset=nope',
              'application/vnd.api+json',
              '*/*',
              'application/json, text/plain',
            )
            .map((type) => ({ 'content-type': type })),
        }),
        fc.record({
          body: fc.oneof(
            validLooking,
            fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
          ),
          headers: fc
            .constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip', 'nope')
            .map((encoding) => ({ 'content-type': 'application/json', 'content-encoding': encoding })),
        }),
        fc.record({
          body: fc
            .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 })
            .map((bytes) =>
              Buffer.concat([
                Buffer.from('{"name":"'),
                Buffer.from(bytes),
                Buffer.from('","visibility":"private"}'),
              ]),
            ),
          headers: fc.constant({ 'content-type': 'application/json' }),
        }),
        fc.record({
          body: fc
            .integer({ min: 32 * 1024 + 1, max: 200 * 1024 })
            .map((size) => `{"name":"${'x'.repeat(size)}"}`),
          headers: fc.constantFrom({ 'content-type': 'application/json' }, { 'content-type': 'text/plain' }),
        }),
      );

      await fc.assert(
        fc.asyncProperty(
          path,
          fc.constantFrom<Actor>('mallory', 'anonymous'),
          request,
          async (to, actor, { body, headers }) => {
            assertContractHttpAnswer(await http('POST', to, { token: tokenOf(actor), body, headers }));
            assertProcessHealthy();
          },
        ),
        { numRuns: 150 },
      );
      expect(await roomState(target.id)).toEqual(before);
    }, 60_000);
  });
});

/** Bytes of an event packet on the wire (engine and Socket.IO type digits, ack id, JSON): what maxHttpBufferSize limits. */
function packetBytes(event: string, args: unknown[]): number {
  return Buffer.byteLength(JSON.stringify([event, ...args])) + 16;
}

/** Percent-encodes a path or query segment; lone surrogates, which encodeURIComponent refuses, as U+FFFD. */
function encodeSegment(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}
