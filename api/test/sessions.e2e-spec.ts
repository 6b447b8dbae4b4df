import { randomUUID } from 'node:crypto';

import type { AuthResponse } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, rawRequest, registerUser } from './support/users';

const ADMIN_TOKEN = 'operator-token-that-is-long-enough-0123456789';

/** Credentials that change while connected: logout, suspension, expiry and in-band refresh. */
describe('sessions across 2 instances', () => {
  let apps: TestApp[];
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:ses-${randomUUID().slice(0, 8)}`,
      ADMIN_TOKEN,
    };
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

  const closed = (socket: ChatSocket) =>
    new Promise<string>((resolve) => socket.socket.once('disconnect', (reason) => resolve(reason)));

  async function login(baseUrl: string, user: TestUser): Promise<AuthResponse> {
    return new ChatClient({ baseUrl }).http.login({
      username: user.username,
      password: 'correct horse battery',
    });
  }

  it('logout revokes that token everywhere and ends exactly the sockets opened with it', async () => {
    const [one, two] = apps;
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
    const [one, two] = apps;
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

function jwtClaims(token: string): { iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** Waits (bounded) until the wall clock is past the given second. */
async function untilClockPasses(epochSeconds: number): Promise<void> {
  for (let i = 0; i < 100 && Date.now() / 1000 <= epochSeconds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
