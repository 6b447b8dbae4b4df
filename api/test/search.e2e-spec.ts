import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Room, SearchHit, SearchRequest, SearchResults } from '@chat/contracts';
import { ChatApiError, ChatSocket } from '@chat/sdk';

import { startBuiltApp } from './support/built-app';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, rawRequest, registerUser, uniqueName } from './support/users';

/**
 * Message search over two instances sharing the database and Redis: what one instance writes (a
 * message, an edit, a leave, a ban) is what the other's search answers from at once.
 */
describe('search (GET /api/search) across 2 instances', () => {
  let apps: TestApp[];
  const sockets: ChatSocket[] = [];
  /** A word no other suite or test writes, so hits can be counted exactly. */
  const word = () => `w${randomUUID().replace(/-/g, '').slice(0, 10)}`;

  beforeAll(async () => {
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:search-${randomUUID().slice(0, 8)}`,
      SEARCH_RATE_LIMIT: '1000',
    };
    apps = [await startTestApp(env), await startTestApp(env)];
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  const post = (user: TestUser, room: Room, body: string) =>
    user.client.http.postMessage(room.id, body, randomUUID()).then((result) => result.message);

  async function socketOf(user: TestUser): Promise<ChatSocket> {
    const socket = user.client.socket();
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  /** Alice (instance one) owns a public room; Bob (instance two) joins it. */
  async function sharedRoom(name = 'Search room') {
    const alice = await registerUser(apps[0].url, 'alice');
    const bob = await registerUser(apps[1].url, 'bob');
    const room = await alice.client.http.createRoom({ name, visibility: 'public' });
    await bob.client.http.joinRoom(room.id);
    return { alice, bob, room };
  }

  const bodies = (results: SearchResults) => results.hits.map((hit) => hit.message.body);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: ChatApiError) => ({ status: error.status, code: error.code, fields: error.fields }),
    );

  it('ranks the better match first and marks the matched words in a text snippet', async () => {
    const { alice, bob, room } = await sharedRoom();
    const w = word();
    await post(alice, room, `unrelated chatter about lunch`);
    await post(alice, room, `the ${w} went out this morning, nothing else to say about the day at all`);
    await post(alice, room, `${w} ${w} ${w}: ${w} notes`);
    // Stemming: "deploys" finds "deployed"; markup in a body stays text.
    await post(alice, room, `<b onmouseover=alert(1)>${w}</b> deployed`);

    const results = await bob.client.http.search({ q: w });
    expect(results.hits).toHaveLength(3);
    expect(results.hits[0].message.body).toBe(`${w} ${w} ${w}: ${w} notes`);
    expect(results.hits[0].rank).toBeGreaterThan(results.hits[2].rank);
    expect(results.hits.every((hit) => hit.message.roomId === room.id)).toBe(true);
    expect(results.nextCursor).toBeNull();

    // Parts are text: the body's markup is neither escaped nor marked up (ts_headline leaves out what
    // its parser reads as a tag, such as `<b`, but the attribute text stays text).
    const hostile = results.hits.find((hit) => hit.message.body.startsWith('<b'))!;
    expect(hostile.snippet.filter((part) => part.match)).toEqual([{ text: w, match: true }]);
    const snippetText = hostile.snippet.map((part) => part.text).join('');
    expect(snippetText).toContain('onmouseover=alert(1)>');
    expect(snippetText).not.toContain('&lt;');
    expect(snippetText).toContain('deployed');
    const stemmed = await bob.client.http.search({ q: `${w} deploys` });
    expect(bodies(stemmed)).toEqual([`<b onmouseover=alert(1)>${w}</b> deployed`]);
    expect(stemmed.hits[0].snippet.filter((part) => part.match).map((part) => part.text)).toEqual([
      w,
      'deployed',
    ]);

    // websearch syntax: a quoted phrase, an exclusion, `or`.
    expect(bodies(await bob.client.http.search({ q: `"${w} notes"` }))).toEqual([
      `${w} ${w} ${w}: ${w} notes`,
    ]);
    expect(await bob.client.http.search({ q: `${w} -notes -deployed` }).then(bodies)).toEqual([
      `the ${w} went out this morning, nothing else to say about the day at all`,
    ]);
    expect((await bob.client.http.search({ q: `lunch or ${w}`, roomId: room.id })).hits).toHaveLength(4);
  });

  it('finds only rooms the caller is a member of now: leaving, a ban or removal hides even old messages', async () => {
    const { alice, bob, room } = await sharedRoom();
    const carol = await registerUser(apps[1].url, 'carol');
    const dave = await registerUser(apps[0].url, 'dave');
    const other = await alice.client.http.createRoom({ name: 'Still here', visibility: 'public' });
    await bob.client.http.joinRoom(other.id);
    for (const user of [carol, dave]) {
      await user.client.http.joinRoom(room.id);
      await user.client.http.joinRoom(other.id);
    }
    const w = word();
    await post(alice, room, `old ${w} in the room they will lose`);
    await post(alice, other, `${w} in the room they keep`);
    for (const user of [bob, carol, dave])
      expect((await user.client.http.search({ q: w })).hits).toHaveLength(2);

    await bob.client.http.leaveRoom(room.id); // through instance two
    await alice.client.http.banMember(room.id, carol.id); // through instance one
    await alice.client.http.removeMember(room.id, dave.id);
    for (const user of [bob, carol, dave]) {
      for (const app of apps) {
        const results = await searchOn(app, user, { q: w });
        expect(bodies(results)).toEqual([`${w} in the room they keep`]);
      }
      expect(await failure(user.client.http.search({ q: w, roomId: room.id }))).toEqual({
        status: 403,
        code: 'FORBIDDEN',
        fields: { roomId: ['You are not a member of this room'] },
      });
    }
    // A stranger finds nothing, and learns nothing about whether a room exists.
    const mallory = await registerUser(apps[0].url, 'mallory');
    expect((await mallory.client.http.search({ q: w })).hits).toEqual([]);
    const notMember = await failure(mallory.client.http.search({ q: w, roomId: room.id }));
    expect(await failure(mallory.client.http.search({ q: w, roomId: randomUUID() }))).toEqual(notMember);
  });

  /** The same user's token against a given instance. */
  async function searchOn(app: TestApp, user: TestUser, request: SearchRequest): Promise<SearchResults> {
    const query = new URLSearchParams(request as unknown as Record<string, string>).toString();
    const answer = await rawRequest(app.url, 'GET', `/api/search?${query}`, { token: user.auth.accessToken });
    expect(answer.status).toBe(200);
    return answer.body as SearchResults;
  }

  it('never finds a deleted message, and finds an edited one by its new words only', async () => {
    const { alice, bob, room } = await sharedRoom();
    const [gone, before, after] = [word(), word(), word()];
    const deleted = await post(alice, room, `${gone} secret that is deleted`);
    const edited = await post(alice, room, `draft with ${before}`);
    const socket = await socketOf(alice);
    await socket.delete(deleted.id);
    await socket.edit(edited.id, `final with ${after}`);
    await socket.react(edited.id, '👍');

    for (const app of apps) {
      expect((await searchOn(app, bob, { q: gone })).hits).toEqual([]);
      expect((await searchOn(app, bob, { q: 'secret deleted' })).hits.map((h) => h.message.id)).not.toContain(
        deleted.id,
      );
      expect((await searchOn(app, bob, { q: before })).hits).toEqual([]);
      const found = await searchOn(app, bob, { q: after });
      expect(
        found.hits.map((hit) => [hit.message.id, hit.message.body, hit.message.editedAt !== null]),
      ).toEqual([[edited.id, `final with ${after}`, true]]);
      // As history shows it: with its reactions.
      expect(found.hits[0].message.reactions).toMatchObject([{ emoji: '👍', count: 1 }]);
    }
  });

  it('pages with a cursor through every hit once, in order, ties included', async () => {
    const { alice, bob, room } = await sharedRoom();
    const w = word();
    // 12 identical bodies (the same rank: the order falls to time and id) and 13 of differing rank.
    for (let i = 0; i < 12; i++) await post(alice, room, `${w} same`);
    for (let i = 0; i < 13; i++)
      await post(bob, room, `${w} ${`${w} `.repeat(i % 4)}filler ${'x '.repeat(i)}`);

    const seen: SearchHit[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const results = await searchOn(apps[page % 2], bob, {
        q: w,
        limit: 4,
        ...(cursor && { cursor }),
      } as SearchRequest);
      seen.push(...results.hits);
      if (page > 0) expect(results.people).toEqual([]);
      if (!results.nextCursor) break;
      cursor = results.nextCursor;
    }
    const ids = seen.map((hit) => hit.message.id);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    const all = await bob.client.http.search({ q: w, limit: 50 });
    expect(ids).toEqual(all.hits.map((hit) => hit.message.id));
    const ranks = seen.map((hit) => hit.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));

    // A cursor belongs to its search.
    expect(await failure(bob.client.http.search({ q: `${w} other`, cursor }))).toMatchObject({
      status: 400,
      code: 'VALIDATION',
      fields: { cursor: ['cursor belongs to a search with other words or filters'] },
    });
  });

  it('filters by room and by time', async () => {
    const { alice, bob, room } = await sharedRoom();
    const other = await alice.client.http.createRoom({ name: 'Other', visibility: 'public' });
    await bob.client.http.joinRoom(other.id);
    const w = word();
    const first = await post(alice, room, `${w} one`);
    await post(alice, other, `${w} two`);

    expect(bodies(await bob.client.http.search({ q: w, roomId: other.id }))).toEqual([`${w} two`]);
    const created = Date.parse(first.createdAt);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect((await bob.client.http.search({ q: w, from: iso(created - 60_000) })).hits).toHaveLength(2);
    expect((await bob.client.http.search({ q: w, from: iso(created + 3_600_000) })).hits).toEqual([]);
    expect((await bob.client.http.search({ q: w, before: iso(created - 60_000) })).hits).toEqual([]);
    expect(
      (await bob.client.http.search({ q: w, from: iso(created - 60_000), before: iso(created + 3_600_000) }))
        .hits,
    ).toHaveLength(2);
  });

  it('finds people by username or display name and public rooms by name, on the first page', async () => {
    const w = word();
    const alice = await registerUser(apps[0].url, 'alice');
    const named = await registerUser(apps[0].url, w);
    const publicRoom = await alice.client.http.createRoom({ name: `Team ${w} talk`, visibility: 'public' });
    await alice.client.http.createRoom({ name: `Secret ${w}`, visibility: 'private' });

    const results = await alice.client.http.search({ q: w.toUpperCase() });
    expect(results.people.map((person) => person.id)).toEqual([named.id]);
    expect(results.rooms.map((r) => r.id)).toEqual([publicRoom.id]);
    // LIKE wildcards are literal.
    expect((await alice.client.http.search({ q: '%' })).people).toEqual([]);
    expect((await alice.client.http.search({ q: '_' })).rooms.every((r) => r.name.includes('_'))).toBe(true);
  });

  it('answers any query text — SQL-ish, tsquery syntax, stop words — with 200, never a 500', async () => {
    const { alice, bob, room } = await sharedRoom();
    const w = word();
    await post(alice, room, `${w} & friends | !not :* <-> 'quoted'`);
    const garbage = [
      "'; DROP TABLE messages; --",
      `${w} & friends`,
      `${w} | !`,
      '!!!',
      '&&&|||',
      ':*',
      'a:*B',
      '<->',
      '<2>',
      `"${w}`,
      '"""',
      '(((',
      ')',
      '\\',
      "'",
      '-',
      '- - -',
      'or or or',
      'the a an',
      '🙂 ❤️',
      '\u0001\u0002\u0003',
      'x'.repeat(200),
      `${'é'.repeat(199)}`,
      'SELECT * FROM users WHERE 1=1',
      '$1 $2::text',
      '%_%',
    ];
    for (const q of garbage) {
      const answer = await rawRequest(
        apps[q.length % 2].url,
        'GET',
        `/api/search?q=${encodeURIComponent(q)}`,
        {
          token: bob.auth.accessToken,
        },
      );
      expect({ q, status: answer.status }).toEqual({ q, status: 200 });
      expect(Array.isArray(answer.body.hits)).toBe(true);
    }
    expect(bodies(await bob.client.http.search({ q: `${w} & friends | !not` }))).toHaveLength(1);
  });

  it('refuses bad input with field messages', async () => {
    const bob = await registerUser(apps[1].url, 'bob');
    const token = bob.auth.accessToken;
    const cases: [string, string][] = [
      ['', 'q'],
      ['q=', 'q'],
      ['q=%20%20%20', 'q'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['q=a&q=b', 'q'],
      ['q=%00', 'q'],
      ['q=a&roomId=nope', 'roomId'],
      ['q=a&from=yesterday', 'from'],
      ['q=a&from=2026-02-30T00:00:00Z', 'from'],
      ['q=a&before=0000-01-01T00:00:00Z', 'before'],
      ['q=a&before=99999-01-01', 'before'],
      ['q=a&from=2026-01-02T00:00:00Z&before=2026-01-01T00:00:00Z', 'before'],
      ['q=a&cursor=garbage', 'cursor'],
      [
        `q=a&cursor=${Buffer.from(JSON.stringify([1e300, '2026-01-01T00:00:00.000000Z', randomUUID(), 'k'])).toString('base64url')}`,
        'cursor',
      ],
      [`q=a&cursor=${'c'.repeat(401)}`, 'cursor'],
      ['q=a&limit=0', 'limit'],
      ['q=a&limit=51', 'limit'],
      ['q=a&limit=abc', 'limit'],
      ['q=a&sort=rank', 'sort'],
    ];
    for (const [query, field] of cases) {
      const answer = await rawRequest(apps[0].url, 'GET', `/api/search?${query}`, { token });
      expect({ query, status: answer.status, code: answer.body.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION',
      });
      expect({ query, fields: Object.keys(answer.body.fields ?? {}) }).toEqual({
        query,
        fields: expect.arrayContaining([field]),
      });
    }
    expect((await rawRequest(apps[0].url, 'GET', '/api/search?q=a')).status).toBe(401);
  });

  it('spends a per-user search budget shared by every instance', async () => {
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:search-budget-${randomUUID().slice(0, 8)}`,
      SEARCH_RATE_LIMIT: '2',
      SEARCH_BURST: '1',
      MESSAGE_RATE_WINDOW_SECONDS: '60',
    };
    const limited = [await startTestApp(env), await startTestApp(env)];
    try {
      const user = await registerUser(limited[0].url, 'budget');
      const other = await registerUser(limited[0].url, 'budget');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const answer = await rawRequest(limited[i % 2].url, 'GET', '/api/search?q=x', {
          token: user.auth.accessToken,
        });
        statuses.push(answer.status);
        if (answer.status === 429) {
          expect(answer.body).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
          expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      // Another user's budget is their own.
      expect(
        (await rawRequest(limited[1].url, 'GET', '/api/search?q=x', { token: other.auth.accessToken }))
          .status,
      ).toBe(200);
    } finally {
      await Promise.all(limited.map((app) => app.close()));
    }
  });
});

describe('history around a seq (GET /api/rooms/:id/messages?around=)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('returns the page around the seq, members only', async () => {
    const alice = await registerUser(app.url, 'alice');
    const room = await alice.client.http.createRoom({ name: uniqueName('around'), visibility: 'private' });
    for (let i = 1; i <= 30; i++) await alice.client.http.postMessage(room.id, `m${i}`, randomUUID());
    const seqs = async (around: number, limit: number) => {
      const page = await alice.client.http.history(room.id, { around, limit });
      return { seqs: page.messages.map((m) => m.seq), hasMore: page.hasMore };
    };

    expect(await seqs(15, 10)).toEqual({ seqs: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], hasMore: true });
    expect(await seqs(15, 11)).toEqual({ seqs: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], hasMore: true });
    // Near the start fewer older ones exist; near the end older ones fill the page.
    expect(await seqs(2, 10)).toEqual({ seqs: [1, 2, 3, 4, 5, 6], hasMore: true });
    expect(await seqs(28, 10)).toEqual({ seqs: [21, 22, 23, 24, 25, 26, 27, 28, 29, 30], hasMore: false });
    expect(await seqs(1000, 4)).toEqual({ seqs: [27, 28, 29, 30], hasMore: false });
    expect(await seqs(30, 1)).toEqual({ seqs: [30], hasMore: false });

    const mallory = await registerUser(app.url, 'mallory');
    await expect(mallory.client.http.history(room.id, { around: 15 })).rejects.toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
    for (const query of ['around=0', 'around=x', 'around=15&before=20', 'around=15&after=3', 'around=1e22']) {
      const answer = await rawRequest(app.url, 'GET', `/api/rooms/${room.id}/messages?${query}`, {
        token: alice.auth.accessToken,
      });
      expect({ query, status: answer.status, fields: Object.keys(answer.body.fields ?? {}) }).toEqual({
        query,
        status: 400,
        fields: [expect.stringMatching(/around|before|after/)],
      });
    }
  });
});

/** `npm start` without DATABASE_URL runs PGlite: the migration (generated column, btree_gin, pg_trgm) and the queries work there too. */
describe('search on the embedded database (PGlite)', () => {
  it('migrates, finds, highlights, pages and opens around a seq', async () => {
    const app = await startBuiltApp({
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      JWT_SECRET: undefined,
      NODE_ENV: undefined,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chat-search-embedded-')),
    });
    try {
      const alice = await registerUser(app.url, 'alice');
      const room = await alice.client.http.createRoom({ name: 'Embedded search', visibility: 'public' });
      const seqs: number[] = [];
      for (const body of ['the deploys went fine', 'deploy deploy again', 'lunch?']) {
        seqs.push((await alice.client.http.postMessage(room.id, body, randomUUID())).message.seq);
      }
      const first = await alice.client.http.search({ q: 'deployed', limit: 1 });
      expect(first.hits.map((hit) => hit.message.body)).toEqual(['deploy deploy again']);
      expect(first.hits[0].snippet).toEqual([
        { text: 'deploy', match: true },
        { text: ' ', match: false },
        { text: 'deploy', match: true },
        { text: ' again', match: false },
      ]);
      expect(first.rooms.map((r) => r.id)).toEqual([]);
      const second = await alice.client.http.search({ q: 'deployed', limit: 1, cursor: first.nextCursor! });
      expect(second.hits.map((hit) => hit.message.body)).toEqual(['the deploys went fine']);
      expect(second.nextCursor).toBeNull();
      expect((await alice.client.http.search({ q: 'embedded' })).rooms.map((r) => r.id)).toEqual([room.id]);
      const around = await alice.client.http.history(room.id, { around: seqs[1], limit: 2 });
      expect(around.messages.map((m) => m.seq)).toEqual([seqs[0], seqs[1]]);
      expect(around.hasMore).toBe(true);
    } finally {
      expect(await app.stop()).toBe(0);
    }
    // Booting PGlite (WebAssembly) and migrating a new data directory: slow on a loaded machine.
  }, 120_000);
});
