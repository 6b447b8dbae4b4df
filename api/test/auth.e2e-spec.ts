import { createHmac } from 'node:crypto';

import { ErrorCode } from '@chat/contracts';
import { ChatApiError, ChatClient } from '@chat/sdk';

import { TestApp, startTestApp } from './support/test-app';
import { rawRequest, registerUser, uniqueName } from './support/users';

describe('auth and users (REST)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('registers, then signs in with the same password, and /me never shows the hash', async () => {
    const client = new ChatClient({ baseUrl: app.url });
    const username = uniqueName('Reg');
    const registered = await client.http.register({ username, password: 'password-123' });
    expect(registered.user).toMatchObject({ username, displayName: username });
    expect(registered.expiresIn).toBeGreaterThan(0);

    const other = new ChatClient({ baseUrl: app.url });
    const signedIn = await other.http.login({ username: username.toLowerCase(), password: 'password-123' });
    expect(signedIn.user.id).toBe(registered.user.id);

    const me = await rawRequest(app.url, 'GET', '/api/auth/me', { token: signedIn.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(registered.user);
    expect(JSON.stringify(me.body)).not.toMatch(/password|argon/i);
  });

  it('refuses a taken username, case-insensitively, with 409', async () => {
    const { username } = await registerUser(app.url);
    const attempt = new ChatClient({ baseUrl: app.url }).http.register({
      username: username.toUpperCase(),
      password: 'password-123',
    });
    await expect(attempt).rejects.toMatchObject({ status: 409, code: ErrorCode.CONFLICT });
  });

  it('answers invalid registrations with 400 and a message per field', async () => {
    const response = await rawRequest(app.url, 'POST', '/api/auth/register', {
      body: JSON.stringify({ username: 'a b', password: 'short', displayName: '', extra: 1 }),
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(ErrorCode.VALIDATION);
    expect(Object.keys(response.body.fields).sort()).toEqual([
      'displayName',
      'extra',
      'password',
      'username',
    ]);
  });

  it('fails unknown user and wrong password alike', async () => {
    const { username } = await registerUser(app.url);
    const wrongPassword = await rawRequest(app.url, 'POST', '/api/auth/login', {
      body: JSON.stringify({ username, password: 'not the password' }),
    });
    const unknownUser = await rawRequest(app.url, 'POST', '/api/auth/login', {
      body: JSON.stringify({ username: uniqueName('ghost'), password: 'not the password' }),
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(wrongPassword.body);
  });

  it('requires a valid token: missing, garbage, foreign-signed and alg=none are all 401', async () => {
    const { auth } = await registerUser(app.url);
    const [header, payload] = auth.accessToken.split('.');
    const foreign = `${header}.${payload}.${createHmac('sha256', 'another-secret').update(`${header}.${payload}`).digest('base64url')}`;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    for (const token of [undefined, 'garbage', foreign, none]) {
      const response = await rawRequest(app.url, 'GET', '/api/auth/me', { token });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(ErrorCode.UNAUTHORIZED);
    }
  });

  it('answers malformed JSON with 400, oversized bodies with 413 and unknown routes with 404 — never 500', async () => {
    const malformed = await rawRequest(app.url, 'POST', '/api/auth/login', { body: '{"username": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe(ErrorCode.VALIDATION);

    const huge = await rawRequest(app.url, 'POST', '/api/auth/login', {
      body: JSON.stringify({ username: 'x'.repeat(100_000), password: 'y' }),
    });
    expect(huge.status).toBe(413);

    const unknown = await rawRequest(app.url, 'GET', '/api/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(ErrorCode.NOT_FOUND);
  });

  it('finds other users to talk to, never the caller, matching literally', async () => {
    const tag = uniqueName('find');
    const alice = await registerUser(app.url, `${tag}_a`);
    const bob = await registerUser(app.url, `${tag}_b`);
    const found = await alice.client.http.searchUsers(tag);
    expect(found.map((user) => user.id)).toEqual([bob.id]);
    // As a LIKE wildcard, "<tag>%" would match both; literally, no name contains it. (A bare "%" would
    // find the users other suites in this database named with a literal percent sign.)
    expect(await alice.client.http.searchUsers(`${tag}%`)).toEqual([]);
  });

  it('publishes the OpenAPI document and health', async () => {
    const docs = await rawRequest(app.url, 'GET', '/api/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/register',
        '/api/auth/logout-all',
        '/api/auth/sessions',
        '/api/auth/sessions/{sessionId}',
        '/api/rooms/{id}/messages',
        '/api/stats',
      ]),
    );
    const health = await rawRequest(app.url, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('surfaces API errors in the SDK as ChatApiError with the contract code', async () => {
    const client = new ChatClient({ baseUrl: app.url });
    await expect(client.http.me()).rejects.toBeInstanceOf(ChatApiError);
  });
});
