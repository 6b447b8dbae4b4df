import fc from 'fast-check';
import { randomUUID } from 'node:crypto';

import { ClientEvent, ErrorCode, Limits, Member, Message, MyRoom, Room, ServerEvent } from '@chat/contracts';
import { ChatSocket } from '@chat/sdk';

import { MAX_PACKET_BYTES } from '../src/realtime/cluster-io.adapter';
import { rawAck } from './support/events';
import {
  HttpAnswer,
  ProcessFaults,
  anyNumber,
  anyText,
  anyValue,
  assertContractAck,
  assertContractHttpAnswer,
  assertNotPolluted,
  idLike,
  nonObject,
  prototypeKeys,
  requestObject,
  textAround,
  utf16String,
} from './support/fuzz';
import { TestApp, startTestApp } from './support/test-app';
import { TestUser, registerUser, uniqueName } from './support/users';

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
    expect(await rawAck(socket, 'fuzz:probe')).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_FOUND } });
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
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body,
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text,
      json: () => JSON.parse(text),
    };
  }

  beforeAll(async () => {
    faults.start();
    prototypes = prototypeKeys();
    app = await startTestApp({ MESSAGE_RATE_LIMIT: '1000000', MAX_CONNECTIONS_PER_USER: '1000' });
    [alice, bob, mallory] = await Promise.all(['alice', 'bob', 'mallory'].map((name) => registerUser(app.url, name)));
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
    const CLIENT_RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
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
        body: fc.oneof(anyText(), textAround(Limits.MESSAGE_BODY_MAX), anyValue),
        clientMsgId: fc.oneof(fc.uuid(), anyText(70), anyNumber),
        seq: fc.oneof(fc.nat(5), anyNumber, anyText()),
        isTyping: fc.oneof(fc.boolean(), anyValue),
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
          { weight: 1, arbitrary: fc.constant(NO_PAYLOAD) },
        ),
        extra: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, fc.array(anyValue, { minLength: 1, maxLength: 3 })),
        acked: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
      });

      await fc.assert(
        fc.asyncProperty(emission, async ({ event, payload, extra, acked }) => {
          const args: unknown[] = payload === NO_PAYLOAD ? [...extra] : [payload, ...extra];
          fc.pre(packetBytes(event, args) < MAX_PACKET_BYTES);
          if (acked) {
            assertContractAck(await rawAck(fuzzed, event, ...args));
          } else {
            (fuzzed.socket as unknown as { emit(...a: unknown[]): void }).emit(event, ...args);
          }
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
      expect(await rawAck(fuzzed, ClientEvent.TYPING, { roomId: aliceRoom.id, isTyping: false })).toEqual({ ok: true });
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
      const packet = fc.oneof(
        fc.constantFrom(...MALFORMED),
        fc.tuple(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '21', '2/x,'), anyText()).map(([head, tail]) => head + tail),
        fc.tuple(fc.constantFrom('2', '21', '3', '31', '5', '6'), fc.json()).map(([head, json]) => head + json),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      );

      await fc.assert(
        fc.asyncProperty(packet, async (raw) => {
          const victim = await connect(alice);
          const dropped = new Promise<'dropped'>((resolve) => victim.socket.once('disconnect', () => resolve('dropped')));
          (victim.socket.io.engine as unknown as { write(data: string | Buffer): void }).write(raw);
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
      const page = await alice.client.http.history(aliceRoom.id, { before: Number.MAX_SAFE_INTEGER, limit: 5 });
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
        textAround(limit),
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
            throw new Error(`a valid message takes ${bytes} bytes, over maxHttpBufferSize (${MAX_PACKET_BYTES})`);
          }
          fc.pre(bytes <= MAX_PACKET_BYTES);
          const sent = await rawAck(socket, ClientEvent.MESSAGE_SEND, payload);
          assertContractAck(sent);
          const edited = await rawAck(socket, ClientEvent.MESSAGE_EDIT, { messageId: editable.id, body });
          assertContractAck(edited);
          if (!valid) {
            expect(sent.error).toMatchObject({ code: ErrorCode.VALIDATION, fields: { body: expect.any(Array) } });
            expect(edited.error).toMatchObject({ code: ErrorCode.VALIDATION, fields: { body: expect.any(Array) } });
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
            expect(created.json()).toMatchObject({ code: ErrorCode.VALIDATION, fields: { name: expect.any(Array) } });
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

  describe('cases the fuzzing found', () => {
    it('PROBE after=1e22', async () => {
      const room = await alice.client.http.createRoom({ name: 'Probe', visibility: 'private' });
      for (const q of ['after=1e22', 'before=1e22', 'after=99999999999999999999', 'limit=1e22', 'after=9007199254740993']) {
        const answer = await http('GET', `/api/rooms/${room.id}/messages?${q}`, { token: alice.auth.accessToken });
        console.error(q, answer.status, answer.text.slice(0, 200));
      }
      const self = await http('POST', `/api/rooms/${room.id}/bans`, { token: alice.auth.accessToken, body: JSON.stringify({ userId: alice.id.toUpperCase() }) });
      console.error('selfban', self.status, self.text, JSON.stringify(await alice.client.http.members(room.id).catch((e) => String(e))));
      const dm1 = await http('POST', `/api/rooms/direct`, { token: alice.auth.accessToken, body: JSON.stringify({ userId: bob.id }) });
      const dm2 = await http('POST', `/api/rooms/direct`, { token: alice.auth.accessToken, body: JSON.stringify({ userId: bob.id.toUpperCase() }) });
      console.error('dm', dm1.json().id, dm2.json().id);
    });
  });

  describe('REST', () => {
    /** Alice's private room with Bob and some history: fuzzing its endpoints must not change it. */
    let target: Room;
    type Snapshot = { room: MyRoom | undefined; members: Member[]; messages: Message[] };
    const snapshot = async (): Promise<Snapshot> => ({
      room: (await alice.client.http.myRooms()).find((room) => room.id === target.id),
      members: await alice.client.http.members(target.id),
      messages: (await alice.client.http.history(target.id, { after: 0, limit: Limits.HISTORY_PAGE_MAX })).messages,
    });

    beforeAll(async () => {
      target = await alice.client.http.createRoom({ name: 'Target', visibility: 'private' });
      await alice.client.http.addMember(target.id, bob.id);
      const socket = await connect(alice);
      for (const body of ['one', 'two', 'three']) await socket.send(target.id, body);
      socket.disconnect();
    });

    /** Path segments: the target's id in every spelling, other ids, and what is no id at all. */
    const segment = (ids: string[]) =>
      fc.oneof(
        { weight: 4, arbitrary: idLike(ids).map((id) => encodeSegment(id)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('%', '%E0%A4%A', '%00', '%2e%2e', '..%2F', '%ZZ', 'null', '-1', 'a'.repeat(3_000)),
        },
      );

    /** Query strings: the known keys, bracketed and repeated forms, hostile and huge numbers, raw escapes. */
    const queryString = fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('before', 'after', 'limit', 'search', 'after[]', 'limit[a]', '__proto__[polluted]', 'constructor[prototype][polluted]'),
            anyText(10).map(encodeSegment),
          ),
          fc.oneof(
            fc.constantFrom('', '0', '1', '1.5', '-1', '1e3', '1e22', '9007199254740993', '99999999999999999999', 'NaN', 'Infinity', '0x10', '%20', '%', '%00', '%ff', '%ED%A0%80'),
            fc.integer().map(String),
            anyText(70).map(encodeSegment),
          ),
        ),
        { maxLength: 4 },
      )
      .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`));

    type Actor = 'alice' | 'mallory' | 'anonymous' | 'forged';
    const tokenOf = (actor: Actor): string | undefined =>
      actor === 'alice'
        ? alice.auth.accessToken
        : actor === 'mallory'
          ? mallory.auth.accessToken
          : actor === 'forged'
            ? `${mallory.auth.accessToken.slice(0, -4)}AAAA`
            : undefined;

    interface FuzzRequest {
      actor: Actor;
      method: string;
      path: string;
      body?: string;
    }

    /**
     * Every REST endpoint with a body, params or a query (api/src/**\/*.controller.ts). Alice, the
     * target's owner, only sends what cannot change its members or history; Mallory, an outsider,
     * and anonymous or forged callers send anything.
     */
    const requests = (): fc.Arbitrary<FuzzRequest> => {
      const outsider = fc.constantFrom<Actor>('mallory', 'anonymous', 'forged');
      const anyone = fc.constantFrom<Actor>('alice', 'mallory', 'anonymous', 'forged');
      const everyId = [target.id, alice.id, bob.id, mallory.id, aliceRoom.id];
      // Ids Alice may send as a userId without changing the target: not Bob's, not Mallory's.
      const harmlessForAlice = [target.id, alice.id, aliceRoom.id];
      const json = (fields: Record<string, fc.Arbitrary<unknown>>) =>
        fc.oneof({ weight: 5, arbitrary: requestObject(fields) }, nonObject).map((body) => JSON.stringify(body) ?? 'null');
      const userBody = (ids: string[]) => json({ userId: idLike(ids) });
      const credentials = {
        username: fc.oneof(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,40}$/), anyText(), anyValue),
        password: fc.oneof(anyText(300), anyValue),
        displayName: fc.oneof(anyText(), anyValue),
      };
      const post = (actor: fc.Arbitrary<Actor>, path: fc.Arbitrary<string>, body: fc.Arbitrary<string>) =>
        fc.record({ actor, method: fc.constant('POST'), path, body });
      const get = (actor: fc.Arbitrary<Actor>, path: fc.Arbitrary<string>) =>
        fc.record({ actor, method: fc.constant('GET'), path });
      const roomPath = (ids: string[], suffix: string) => segment(ids).map((id) => `/api/rooms/${id}${suffix}`);
      return fc.oneof(
        post(anyone, fc.constant('/api/auth/register'), json(credentials)),
        post(anyone, fc.constant('/api/auth/login'), json(credentials)),
        post(
          anyone,
          fc.constant('/api/rooms'),
          json({
            name: fc.oneof(anyText(), anyValue),
            visibility: fc.oneof(fc.constantFrom('public', 'private', 'PUBLIC', 'secret'), anyValue),
            capacity: fc.oneof(anyNumber, anyValue),
          }),
        ),
        post(anyone, fc.constant('/api/rooms/direct'), userBody(everyId)),
        post(outsider, roomPath(everyId, '/join'), json({})),
        post(outsider, roomPath(everyId, '/leave'), json({})),
        post(outsider, roomPath(everyId, '/members'), userBody(everyId)),
        post(fc.constant<Actor>('alice'), roomPath(everyId, '/members'), userBody(harmlessForAlice)),
        post(outsider, roomPath(everyId, '/bans'), userBody(everyId)),
        post(fc.constant<Actor>('alice'), roomPath(everyId, '/bans'), userBody(harmlessForAlice)),
        fc.record({
          actor: anyone,
          method: fc.constant('DELETE'),
          path: fc.tuple(segment(everyId), segment(everyId)).map(([room, user]) => `/api/rooms/${room}/bans/${user}`),
        }),
        get(anyone, roomPath(everyId, '/members')),
        get(anyone, fc.tuple(segment(everyId), queryString).map(([id, query]) => `/api/rooms/${id}/messages${query}`)),
        get(anyone, queryString.map((query) => `/api/users${query}`)),
        get(anyone, queryString.map((query) => `/api/rooms/public${query}`)),
      );
    };

    it('answers random bodies, params and queries with a 2xx or a contract 4xx, and changes nothing it refused', async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(requests(), async ({ actor, method, path, body }) => {
          assertContractHttpAnswer(await http(method, path, { token: tokenOf(actor), body }));
          assertProcessHealthy();
        }),
        { numRuns: 300 },
      );
      expect(await snapshot()).toEqual(before);
    }, 60_000);

    it('answers malformed JSON, wrong content types and encodings, bad bytes and huge bodies with a contract 4xx', async () => {
      const before = await snapshot();
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
          body: fc.oneof(validLooking, fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes))),
          headers: fc
            .constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip', 'nope')
            .map((encoding) => ({ 'content-type': 'application/json', 'content-encoding': encoding })),
        }),
        fc.record({
          body: fc
            .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 })
            .map((bytes) => Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('","visibility":"private"}')])),
          headers: fc.constant({ 'content-type': 'application/json' }),
        }),
        fc.record({
          body: fc.integer({ min: 32 * 1024 + 1, max: 200 * 1024 }).map((size) => `{"name":"${'x'.repeat(size)}"}`),
          headers: fc.constantFrom({ 'content-type': 'application/json' }, { 'content-type': 'text/plain' }),
        }),
      );

      await fc.assert(
        fc.asyncProperty(path, fc.constantFrom<Actor>('mallory', 'anonymous'), request, async (to, actor, { body, headers }) => {
          assertContractHttpAnswer(await http('POST', to, { token: tokenOf(actor), body, headers }));
          assertProcessHealthy();
        }),
        { numRuns: 150 },
      );
      expect(await snapshot()).toEqual(before);
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
