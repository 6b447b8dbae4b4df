import { ErrorCode, Limits } from '@chat/contracts';

import { ChatApiError } from './errors';
import { ChatHttpClient } from './http-client';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function clientAnswering(...responses: Array<Response | Error>) {
  const fetch = jest.fn(async (_input: string | URL | Request, _init?: RequestInit): Promise<Response> => {
    const next = responses.shift();
    if (!next) throw new Error('unexpected request');
    if (next instanceof Error) throw next;
    return next;
  });
  const client = new ChatHttpClient({ baseUrl: 'http://chat.test/', fetch });
  const call = (index: number) => {
    const [url, init] = fetch.mock.calls[index];
    const headers = new Headers(init?.headers);
    return {
      url: String(url),
      method: init?.method,
      headers,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
  };
  return { client, fetch, call };
}

const user = { id: 'u1', username: 'alice', displayName: 'Alice', createdAt: '2026-01-01T00:00:00.000Z' };

describe('ChatHttpClient', () => {
  it('stores the token from register and sends it as a bearer token afterwards', async () => {
    const { client, call } = clientAnswering(
      json(201, { accessToken: 'jwt-1', expiresIn: 900, user }),
      json(200, user),
    );
    await client.register({ username: 'alice', password: 'password-123' });
    await expect(client.me()).resolves.toEqual(user);

    expect(call(0)).toMatchObject({ url: 'http://chat.test/api/auth/register', method: 'POST' });
    expect(call(0).body).toEqual({ username: 'alice', password: 'password-123' });
    expect(call(0).headers.get('authorization')).toBeNull();
    expect(call(0).headers.get('content-type')).toBe('application/json');
    expect(call(1)).toMatchObject({ url: 'http://chat.test/api/auth/me', method: 'GET' });
    expect(call(1).headers.get('authorization')).toBe('Bearer jwt-1');
    expect(client.token).toBe('jwt-1');
  });

  it('posts a message over REST and manages bots and webhooks under the documented paths', async () => {
    const { client, call } = clientAnswering(
      json(201, { message: { seq: 1 }, duplicate: false }),
      json(201, { bot: user, apiKey: { id: 'k1' } }),
      new Response(null, { status: 204 }),
      json(201, { id: 'w1', secret: 'whsec_x' }),
      json(200, []),
      json(200, []),
      json(201, { keyId: 'k2' }),
    );
    await client.postMessage('r/1', 'hi', 'c-1');
    await client.createBot('r1', { username: 'deploy' });
    await client.revokeBotKey('b1', 'k1');
    await client.createWebhook('r1', 'https://hooks.test/x');
    await client.webhookDeliveries('r1', 'w1');
    await client.roomBots('r1');
    await client.rotateIncomingWebhook('b1', 'k1');

    expect(call(0)).toMatchObject({ url: 'http://chat.test/api/rooms/r%2F1/messages', method: 'POST' });
    expect(call(0).body).toEqual({ body: 'hi', clientMsgId: 'c-1' });
    expect(call(1)).toMatchObject({
      url: 'http://chat.test/api/rooms/r1/bots',
      body: { username: 'deploy' },
    });
    expect(call(2)).toMatchObject({ url: 'http://chat.test/api/bots/b1/keys/k1', method: 'DELETE' });
    expect(call(3)).toMatchObject({
      url: 'http://chat.test/api/rooms/r1/webhooks',
      body: { url: 'https://hooks.test/x' },
    });
    expect(call(4)).toMatchObject({
      url: 'http://chat.test/api/rooms/r1/webhooks/w1/deliveries',
      method: 'GET',
    });
    expect(call(5)).toMatchObject({ url: 'http://chat.test/api/rooms/r1/bots', method: 'GET' });
    expect(call(6)).toMatchObject({
      url: 'http://chat.test/api/bots/b1/incoming-webhooks/k1/rotate',
      method: 'POST',
    });
  });

  it('adds only the defined query parameters, encoded', async () => {
    const { client, call } = clientAnswering(
      json(200, { messages: [], hasMore: false }),
      json(200, []),
      json(200, []),
    );
    await client.history('room/1', { after: 5, limit: 200 });
    await client.searchUsers('a&b c');
    await client.publicRooms();
    expect(call(0).url).toBe('http://chat.test/api/rooms/room%2F1/messages?after=5&limit=200');
    expect(new URL(call(1).url).searchParams.get('search')).toBe('a&b c');
    expect(call(1).url).not.toContain('a&b');
    expect(call(2).url).toBe('http://chat.test/api/rooms/public');
  });

  it('pages a thread or the top-level timeline, replies over REST and sets a notification preference', async () => {
    const { client, call } = clientAnswering(
      json(200, { messages: [], hasMore: false }),
      json(200, { messages: [], hasMore: false }),
      json(201, { message: {}, duplicate: false }),
      json(200, { roomId: 'r1', level: 'none' }),
    );
    await client.history('r1', { threadRootId: 'root-1', before: 9 });
    await client.history('r1', { topLevel: true });
    await client.postMessage('r1', 'hi', 'c1', { threadRootId: 'root-1' });
    await expect(client.setNotificationPreference('r1', 'none')).resolves.toEqual({
      roomId: 'r1',
      level: 'none',
    });
    expect(call(0).url).toBe('http://chat.test/api/rooms/r1/messages?before=9&threadRootId=root-1');
    expect(call(1).url).toBe('http://chat.test/api/rooms/r1/messages?topLevel=true');
    expect(call(2)).toMatchObject({
      method: 'POST',
      body: { body: 'hi', clientMsgId: 'c1', threadRootId: 'root-1' },
    });
    expect(call(3)).toMatchObject({
      url: 'http://chat.test/api/rooms/r1/notifications',
      method: 'PUT',
      body: { level: 'none' },
    });
  });

  it('searches with the given words, filters and cursor, and reads history around a seq', async () => {
    const results = { hits: [], nextCursor: 'c2', people: [], rooms: [] };
    const { client, call } = clientAnswering(
      json(200, results),
      json(200, { ...results, nextCursor: null }),
      json(200, { messages: [], hasMore: true }),
    );
    await expect(client.search({ q: '"release notes" -draft & x' })).resolves.toEqual(results);
    await client.search({
      q: 'deploy',
      roomId: 'r1',
      from: '2026-01-01T00:00:00.000Z',
      before: '2026-02-01T00:00:00.000Z',
      cursor: 'c1',
      limit: 10,
    });
    await client.history('r1', { around: 42, limit: 20 });

    const first = new URL(call(0).url);
    expect(first.pathname).toBe('/api/search');
    expect([...first.searchParams.entries()]).toEqual([['q', '"release notes" -draft & x']]);
    expect(call(0).method).toBe('GET');
    expect(Object.fromEntries(new URL(call(1).url).searchParams)).toEqual({
      q: 'deploy',
      roomId: 'r1',
      from: '2026-01-01T00:00:00.000Z',
      before: '2026-02-01T00:00:00.000Z',
      cursor: 'c1',
      limit: '10',
    });
    expect(call(2).url).toBe('http://chat.test/api/rooms/r1/messages?around=42&limit=20');
  });

  it('resolves a 204 with undefined', async () => {
    const { client, call } = clientAnswering(new Response(null, { status: 204 }));
    await expect(client.leaveRoom('r1')).resolves.toBeUndefined();
    expect(call(0)).toMatchObject({ url: 'http://chat.test/api/rooms/r1/leave', method: 'POST' });
  });

  it('throws the error body as ChatApiError with status, code, message and fields', async () => {
    const body = {
      statusCode: 400,
      code: 'VALIDATION',
      message: 'Invalid input',
      fields: { name: ['too long'] },
    };
    const { client } = clientAnswering(json(400, body));
    const error = await client.createRoom({ name: 'x', visibility: 'public' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'VALIDATION',
      message: 'Invalid input',
      fields: { name: ['too long'] },
    });
  });

  it('takes retryAfter from the body, or else from the Retry-After header', async () => {
    const { client } = clientAnswering(
      json(429, { statusCode: 429, code: 'RATE_LIMITED', message: 'Slow down', retryAfter: 7 }),
      json(429, { statusCode: 429, code: 'RATE_LIMITED', message: 'Slow down' }, { 'retry-after': '3' }),
    );
    await expect(client.myRooms()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfter: 7 });
    await expect(client.myRooms()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfter: 3 });
  });

  it.each([
    [502, ErrorCode.UNAVAILABLE],
    [503, ErrorCode.UNAVAILABLE],
    [500, ErrorCode.INTERNAL],
    [404, ErrorCode.NOT_FOUND],
  ])('maps a %i without the API error body to %s', async (status, code) => {
    const { client } = clientAnswering(new Response('<html>Bad Gateway</html>', { status }));
    await expect(client.stats()).rejects.toMatchObject({ status, code });
  });

  it('reports a request that never reached the server as status 0, UNAVAILABLE', async () => {
    const { client } = clientAnswering(new TypeError('fetch failed'));
    await expect(client.me()).rejects.toMatchObject({ status: 0, code: 'UNAVAILABLE' });
  });

  it('returns the health report on 503 instead of throwing', async () => {
    const report = { status: 'error', info: {}, error: { redis: { status: 'down' } }, details: {} };
    const { client } = clientAnswering(json(503, report), json(200, { status: 'ok' }));
    await expect(client.health()).resolves.toEqual(report);
    await expect(client.health()).resolves.toEqual({ status: 'ok' });
  });

  it('posts the ids that members and direct rooms take in their bodies', async () => {
    const { client, call } = clientAnswering(json(201, {}), json(201, {}));
    await client.addMember('r1', 'u2');
    await client.directRoom('u3');
    expect(call(0)).toMatchObject({ url: 'http://chat.test/api/rooms/r1/members', body: { userId: 'u2' } });
    expect(call(1)).toMatchObject({ url: 'http://chat.test/api/rooms/direct', body: { userId: 'u3' } });
  });

  it('reads every page of members, following nextCursor', async () => {
    const member = (id: string) => ({ user: { id }, role: 'member' });
    const { client, call } = clientAnswering(
      json(200, { members: [member('a'), member('b')], nextCursor: 'b' }),
      json(200, { members: [member('c')], nextCursor: null }),
    );
    const members = await client.members('r1');
    expect(members.map((m) => m.user.id)).toEqual(['a', 'b', 'c']);
    expect(call(0).url).toBe(`http://chat.test/api/rooms/r1/members?limit=${Limits.MEMBERS_PAGE_MAX}`);
    expect(call(1).url).toBe(
      `http://chat.test/api/rooms/r1/members?after=b&limit=${Limits.MEMBERS_PAGE_MAX}`,
    );
  });
});
