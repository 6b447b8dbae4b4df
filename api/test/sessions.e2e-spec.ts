import { randomUUID } from 'node:crypto';

import type { AuthResponse, AuthSessionList } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, rawRequest, registerUser } from './support/users';

const ADMIN_TOKEN = 'operator-token-that-is-long-enough-0123456789';

/** Credentials that change while connected: logout, suspension, expiry and in-band refresh. */
/**
 * Two instances sharing one Redis for the enclosing describe, and a connect whose sockets are
 * closed after each test.
 */
function twoInstances(env: Record<string, string>) {
  let apps: TestApp[] = [];
  const sockets: ChatSocket[] = [];
  beforeAll(async () => {
    apps = [await startTestApp(env), await startTestApp(env)];
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  async function connect(baseUrl: string, token: string): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl, token }).socket({ reconnection: false });
    sockets.push(socket);
    await socket.connect();
    return socket;
  }
  return {
    get apps(): TestApp[] {
      return apps;
    },
    connect,
  };
}

describe('sessions across 2 instances', () => {
  const instances = twoInstances({
    REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:ses-${randomUUID().slice(0, 8)}`,
    ADMIN_TOKEN,
  });
  const connect = instances.connect;

  const closed = (socket: ChatSocket) =>
    new Promise<string>((resolve) => socket.socket.once('disconnect', (reason) => resolve(reason)));

  async function login(baseUrl: string, user: TestUser): Promise<AuthResponse> {
    return new ChatClient({ baseUrl }).http.login({
      username: user.username,
      password: 'correct horse battery',
    });
  }

  it('logout revokes that token everywhere and ends exactly the sockets opened with it', async () => {
    const [one, two] = instances.apps;
    const alice = await registerUser(one.url, 'logout');
    const other = await login(two.url, alice); // a second device: another token
    const a1 = await connect(one.url, alice.auth.accessToken);
    const a2 = await connect(two.url, alice.auth.accessToken);
    const b = await connect(two.url, other.accessToken);
    const ended = [new EventRecorder(a1, 'session:ended'), new EventRecorder(a2, 'session:ended')];
    const drops = [closed(a1), closed(a2)];

    await alice.client.http.logout();

    for (const recorder of ended) expect(await recorder.next()).toMatchObject({ reason: 'logged_out' });
    expect(await Promise.all(drops)).toEqual(['io server disconnect', 'io server disconnect']);
    // The other device's session is untouched.
    expect(b.connected).toBe(true);
    expect(await rawAck(b, 'room:join', { roomId: randomUUID() })).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
    // The revoked token opens nothing any more, on either instance.
    const me = await rawRequest(two.url, 'GET', '/api/auth/me', { token: alice.auth.accessToken });
    expect(me.status).toBe(401);
    await expect(
      new ChatClient({ baseUrl: one.url, token: alice.auth.accessToken })
        .socket({ reconnection: false })
        .connect(),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('suspension by an operator ends every session of the user and keeps them out until reinstated', async () => {
    const [one, two] = instances.apps;
    const mallory = await registerUser(one.url, 'suspended');
    const onOne = await connect(one.url, mallory.auth.accessToken);
    const onTwo = await connect(two.url, mallory.auth.accessToken);
    const ended = [new EventRecorder(onOne, 'session:ended'), new EventRecorder(onTwo, 'session:ended')];
    const path = `/api/admin/users/${mallory.id}/suspension`;

    expect((await rawRequest(one.url, 'POST', path)).status).toBe(401);
    expect((await rawRequest(one.url, 'POST', path, { token: mallory.auth.accessToken })).status).toBe(401);
    expect((await rawRequest(one.url, 'POST', path, { token: ADMIN_TOKEN })).status).toBe(204);

    for (const recorder of ended) expect(await recorder.next()).toMatchObject({ reason: 'suspended' });
    const me = await rawRequest(two.url, 'GET', '/api/auth/me', { token: mallory.auth.accessToken });
    expect(me.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    await expect(login(two.url, mallory)).rejects.toMatchObject({ status: 403 });
    await expect(
      new ChatClient({ baseUrl: two.url, token: mallory.auth.accessToken })
        .socket({ reconnection: false })
        .connect(),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect((await rawRequest(two.url, 'DELETE', path, { token: ADMIN_TOKEN })).status).toBe(204);
    await expect(login(one.url, mallory)).resolves.toMatchObject({ user: { id: mallory.id } });
  });

  it('has no operator endpoints when ADMIN_TOKEN is not configured', async () => {
    const bare = await startTestApp();
    try {
      const response = await rawRequest(bare.url, 'POST', `/api/admin/users/${randomUUID()}/suspension`, {
        token: ADMIN_TOKEN,
      });
      expect(response.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('sign-in sessions across 2 instances', () => {
  const instances = twoInstances({
    REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:sid-${randomUUID().slice(0, 8)}`,
  });
  const connect = instances.connect;

  const refreshWith = (baseUrl: string, token: string) =>
    rawRequest(baseUrl, 'POST', '/api/auth/refresh', { token });
  const meWith = (baseUrl: string, token: string) => rawRequest(baseUrl, 'GET', '/api/auth/me', { token });

  it('a refreshed token belongs to the session: logout with the first one ends both, and neither can refresh', async () => {
    const [one, two] = instances.apps;
    const alice = await registerUser(one.url, 'rotate');
    const first = alice.auth.accessToken;
    const refreshed = await refreshWith(two.url, first);
    expect(refreshed.status).toBe(200);
    const second = (refreshed.body as AuthResponse).accessToken;
    expect(jwtClaims(second).sid).toBe(jwtClaims(first).sid);
    const live = await connect(two.url, second);
    const ended = new EventRecorder(live, 'session:ended');

    expect((await rawRequest(one.url, 'POST', '/api/auth/logout', { token: first })).status).toBe(204);

    expect(await ended.next()).toMatchObject({ reason: 'logged_out' });
    for (const app of instances.apps) {
      for (const token of [first, second]) {
        expect((await meWith(app.url, token)).status).toBe(401);
        expect(await refreshWith(app.url, token)).toMatchObject({
          status: 401,
          body: { code: 'UNAUTHORIZED' },
        });
      }
    }
    await expect(
      new ChatClient({ baseUrl: two.url, token: second }).socket({ reconnection: false }).connect(),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // Signing in again starts a new session that works.
    const again = await new ChatClient({ baseUrl: one.url }).http.login({
      username: alice.username,
      password: 'correct horse battery',
    });
    expect(jwtClaims(again.accessToken).sid).not.toBe(jwtClaims(first).sid);
    expect((await meWith(two.url, again.accessToken)).status).toBe(200);
  });

  it('lists the open sessions with user agent and current, and ends one by id', async () => {
    const [one, two] = instances.apps;
    const bob = await registerUser(one.url, 'devices');
    const phone = await rawRequest(two.url, 'POST', '/api/auth/login', {
      body: JSON.stringify({ username: bob.username, password: 'correct horse battery' }),
      headers: { 'user-agent': 'Phone/1.0' },
    });
    expect(phone.status).toBe(200);
    const phoneToken = (phone.body as AuthResponse).accessToken;
    const phoneSid = jwtClaims(phoneToken).sid!;
    const phoneSocket = await connect(one.url, phoneToken);
    const phoneEnded = new EventRecorder(phoneSocket, 'session:ended');

    const listed = await rawRequest(one.url, 'GET', '/api/auth/sessions', { token: bob.auth.accessToken });
    expect(listed.status).toBe(200);
    const sessions = (listed.body as AuthSessionList).sessions;
    expect(sessions).toHaveLength(2);
    expect(sessions.find((session) => session.current)?.id).toBe(jwtClaims(bob.auth.accessToken).sid);
    expect(sessions.find((session) => session.id === phoneSid)).toMatchObject({
      userAgent: 'Phone/1.0',
      current: false,
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
    });
    expect(await bob.client.http.sessions()).toHaveLength(2);

    // Nobody else's, nothing malformed, nothing unknown.
    const mallory = await registerUser(one.url, 'other');
    const path = `/api/auth/sessions/${phoneSid}`;
    expect((await rawRequest(two.url, 'DELETE', path, { token: mallory.auth.accessToken })).status).toBe(404);
    expect(
      (await rawRequest(two.url, 'DELETE', '/api/auth/sessions/not-a-uuid', { token: bob.auth.accessToken }))
        .status,
    ).toBe(400);
    expect(
      (
        await rawRequest(two.url, 'DELETE', `/api/auth/sessions/${randomUUID()}`, {
          token: bob.auth.accessToken,
        })
      ).status,
    ).toBe(404);
    expect((await meWith(one.url, phoneToken)).status).toBe(200);

    await bob.client.http.endSession(phoneSid);
    expect(await phoneEnded.next()).toMatchObject({ reason: 'logged_out' });
    expect((await meWith(one.url, phoneToken)).status).toBe(401);
    expect((await refreshWith(two.url, phoneToken)).status).toBe(401);
    expect((await bob.client.http.sessions()).map((session) => session.id)).toEqual([
      jwtClaims(bob.auth.accessToken).sid!,
    ]);
    expect((await meWith(two.url, bob.auth.accessToken)).status).toBe(200);
  });

  it("logout-all ends every session of the user on every instance, and no one else's", async () => {
    const [one, two] = instances.apps;
    const carol = await registerUser(one.url, 'everywhere');
    const laptop = await new ChatClient({ baseUrl: two.url }).http.login({
      username: carol.username,
      password: 'correct horse battery',
    });
    const bystander = await registerUser(two.url, 'bystander');
    const sockets = [
      await connect(one.url, carol.auth.accessToken),
      await connect(two.url, laptop.accessToken),
    ];
    const ended = sockets.map((socket) => new EventRecorder(socket, 'session:ended'));
    const bystanderSocket = await connect(one.url, bystander.auth.accessToken);

    expect(
      (await rawRequest(two.url, 'POST', '/api/auth/logout-all', { token: laptop.accessToken })).status,
    ).toBe(204);

    for (const recorder of ended) expect(await recorder.next()).toMatchObject({ reason: 'logged_out' });
    for (const token of [carol.auth.accessToken, laptop.accessToken]) {
      expect((await meWith(one.url, token)).status).toBe(401);
      expect((await refreshWith(two.url, token)).status).toBe(401);
    }
    expect(bystanderSocket.connected).toBe(true);
    expect((await meWith(one.url, bystander.auth.accessToken)).status).toBe(200);
  });
});

describe('token expiry on a live connection', () => {
  let app: TestApp;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    app = await startTestApp({ JWT_TTL: '4s' });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app.close();
  });

  it('ends a session when its token expires, unless auth:refresh gave it a newer token', async () => {
    const user = await registerUser(app.url, 'expiry');
    const other = await registerUser(app.url, 'other');
    const issuedAt = jwtClaims(user.auth.accessToken).iat;
    const stale = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket({
      reconnection: false,
    });
    const fresh = user.client.socket({ reconnection: false });
    sockets.push(stale, fresh);
    await stale.connect();
    await fresh.connect();
    const staleEnded = new EventRecorder(stale, 'session:ended');
    const freshEnded = new EventRecorder(fresh, 'session:ended');

    // Bad refreshes change nothing: a garbage token, or another user's.
    expect(await rawAck(fresh, 'auth:refresh', { token: 'not-a-token' })).toMatchObject({
      error: { code: 'UNAUTHORIZED' },
    });
    expect(await rawAck(fresh, 'auth:refresh', { token: other.auth.accessToken })).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });

    // Tokens carry whole seconds: a newer one needs the clock to have moved past the first one's second.
    await untilClockPasses(issuedAt + 2);
    const renewed = await user.client.http.refresh();
    const { expiresAt } = await fresh.refreshAuth();
    expect(Date.parse(expiresAt) / 1000).toBe(jwtClaims(renewed.accessToken).exp);

    // The old token's expiry ends the stale session; the refreshed one carries on.
    expect(await staleEnded.next()).toMatchObject({ reason: 'expired' });
    expect(freshEnded.events).toEqual([]);
    expect(fresh.connected).toBe(true);
    expect(await rawAck(fresh, 'room:join', { roomId: randomUUID() })).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
  });
});

function jwtClaims(token: string): { iat: number; exp: number; sid?: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** Waits (bounded) until the wall clock is past the given second. */
async function untilClockPasses(epochSeconds: number): Promise<void> {
  for (let i = 0; i < 100 && Date.now() / 1000 <= epochSeconds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
