import { randomUUID } from 'node:crypto';

import type { BotApiKey, CreateBotResponse, IncomingWebhook, Message } from '@chat/contracts';
import { ChatClient } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { useTwoApps } from './support/two-apps';
import { TestUser, createRoomWith, rawRequest, registerUser } from './support/users';

const post = (app: TestApp, roomId: string, key: string | undefined, body: object) =>
  rawRequest(app.url, 'POST', `/api/rooms/${roomId}/messages`, { token: key, body: JSON.stringify(body) });

async function createBot(app: TestApp, owner: TestUser, roomId: string): Promise<CreateBotResponse> {
  const created = await rawRequest(app.url, 'POST', `/api/rooms/${roomId}/bots`, {
    token: owner.auth.accessToken,
    body: JSON.stringify({ username: `bot_${randomUUID().slice(0, 8)}`, displayName: 'Helper bot' }),
  });
  expect(created.status).toBe(201);
  return created.body;
}

/** Bots post through POST /api/rooms/:id/messages with an API key, by the rules people follow. */
describe('bots and their API keys (2 instances)', () => {
  const suite = useTwoApps('bots');

  it('is created by the room owner only; its key is shown once and kept only as a hash', async () => {
    const [one] = suite.apps;
    const owner = await registerUser(one.url, 'botowner');
    const member = await registerUser(one.url, 'botmember');
    const room = await createRoomWith(owner, [member], 'With a bot');

    const refused = await rawRequest(one.url, 'POST', `/api/rooms/${room.id}/bots`, {
      token: member.auth.accessToken,
      body: JSON.stringify({ username: `bot_${randomUUID().slice(0, 8)}` }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');

    const { bot, apiKey } = await createBot(one, owner, room.id);
    expect(apiKey).toMatchObject({ botId: bot.id, roomIds: [room.id], revokedAt: null });
    expect(apiKey.key).toMatch(/^chatbot_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect((await owner.client.http.members(room.id)).map((m) => m.user.id)).toContain(bot.id);

    const listed = await rawRequest(one.url, 'GET', `/api/bots/${bot.id}/keys`, {
      token: owner.auth.accessToken,
    });
    const { key: _shownOnce, ...withoutSecret } = apiKey;
    expect(listed.body).toEqual([withoutSecret]);
    const secret = apiKey.key!.split('_').pop()!;
    const { rows } = await suite.db.query(
      'SELECT row_to_json(k)::text AS stored FROM bot_api_keys k WHERE id = $1',
      [apiKey.id],
    );
    expect(rows[0].stored).not.toContain(secret);
    // A bot has no password: signing in as it is refused like any wrong password.
    const login = await rawRequest(one.url, 'POST', '/api/auth/login', {
      body: JSON.stringify({ username: bot.username, password: '!' }),
    });
    expect(login.status).toBe(401);
  });

  it('lists the room’s bots with their keys to the owner, and refuses every panel call from anyone else', async () => {
    const [one, two] = suite.apps;
    const owner = await registerUser(one.url, 'panelowner');
    const member = await registerUser(one.url, 'panelmember');
    const room = await createRoomWith(owner, [member], 'Panel');
    const { bot, apiKey } = await createBot(one, owner, room.id);
    const hook = await owner.client.http.createIncomingWebhook(bot.id, room.id);

    const listed = await owner.client.http.roomBots(room.id);
    expect(listed).toEqual([
      {
        bot,
        keys: [
          {
            id: apiKey.id,
            botId: bot.id,
            roomIds: [room.id],
            kind: 'api',
            createdAt: apiKey.createdAt,
            revokedAt: null,
          },
          expect.objectContaining({ id: hook.keyId, kind: 'incoming', roomIds: [room.id], revokedAt: null }),
        ],
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain('chatbot_');

    const as = (token: string, method: string, path: string, body?: object) =>
      rawRequest(two.url, method, path, { token, body: body && JSON.stringify(body) });
    const panelCalls: [string, string, object?][] = [
      ['GET', `/api/rooms/${room.id}/bots`],
      ['POST', `/api/rooms/${room.id}/bots`, { username: `bot_${randomUUID().slice(0, 8)}` }],
      ['GET', `/api/bots/${bot.id}/keys`],
      ['POST', `/api/bots/${bot.id}/keys`, { roomIds: [room.id] }],
      ['DELETE', `/api/bots/${bot.id}/keys/${apiKey.id}`],
      ['POST', `/api/bots/${bot.id}/incoming-webhooks`, { roomId: room.id }],
      ['POST', `/api/bots/${bot.id}/incoming-webhooks/${hook.keyId}/rotate`],
      ['GET', `/api/rooms/${room.id}/webhooks`],
      ['POST', `/api/rooms/${room.id}/webhooks`, { url: 'http://127.0.0.1:9/hook' }],
    ];
    for (const [method, path, body] of panelCalls) {
      const refused = await as(member.auth.accessToken, method, path, body);
      expect({ method, path, status: refused.status, code: refused.body.code }).toEqual({
        method,
        path,
        status: 403,
        code: 'FORBIDDEN',
      });
      // The bot's own key is no owner's token either.
      expect((await as(apiKey.key!, method, path, body)).status).toBe(401);
    }
    expect(await owner.client.http.roomBots(room.id)).toEqual(listed);

    // Rotating gives a new URL for the same room; the old one is refused from then on, on every instance.
    const rotated = await owner.client.http.rotateIncomingWebhook(bot.id, hook.keyId);
    expect(rotated).toMatchObject({ botId: bot.id, roomId: room.id });
    expect(rotated.path).not.toBe(hook.path);
    const postTo = (app: TestApp, path: string) =>
      rawRequest(app.url, 'POST', path, { body: JSON.stringify({ text: 'rotated' }) });
    expect((await postTo(two, hook.path)).status).toBe(401);
    expect((await postTo(one, rotated.path)).status).toBe(201);
    const again = await as(
      owner.auth.accessToken,
      'POST',
      `/api/bots/${bot.id}/incoming-webhooks/${hook.keyId}/rotate`,
    );
    expect(again).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const notIncoming = await as(
      owner.auth.accessToken,
      'POST',
      `/api/bots/${bot.id}/incoming-webhooks/${apiKey.id}/rotate`,
    );
    expect(notIncoming).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const [after] = await owner.client.http.roomBots(room.id);
    expect(after.keys.map((key) => [key.id, key.kind, key.revokedAt === null])).toEqual([
      [apiKey.id, 'api', true],
      [hook.keyId, 'incoming', false],
      [rotated.keyId, 'incoming', true],
    ]);
  });

  it('posts like a person: seq, broadcast (marked as a bot) on every instance, idempotent by clientMsgId', async () => {
    const [one, two] = suite.apps;
    const owner = await registerUser(one.url, 'botowner');
    const room = await owner.client.http.createRoom({ name: 'Bot talk', visibility: 'public' });
    const { bot, apiKey } = await createBot(one, owner, room.id);
    const ownerSocket = await suite.connect(owner, one);
    await ownerSocket.join(room.id);
    const received = new EventRecorder(ownerSocket, 'message:new');

    const clientMsgId = `deploy:${randomUUID()}`;
    const first = await post(two, room.id, apiKey.key, { body: 'Deployed v1.2', clientMsgId });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      duplicate: false,
      message: { seq: 1, body: 'Deployed v1.2', sender: { id: bot.id, isBot: true } },
    });
    const live = await received.next((m) => m.seq === 1, 'the bot message');
    expect(live.sender).toEqual({
      id: bot.id,
      username: bot.username,
      displayName: 'Helper bot',
      isBot: true,
    });

    const again = await post(one, room.id, apiKey.key, { body: 'Deployed v1.2', clientMsgId });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, message: { id: first.body.message.id, seq: 1 } });

    // People use the same endpoint with their token; their messages are not marked.
    const human = await post(one, room.id, owner.auth.accessToken, {
      body: 'thanks',
      clientMsgId: randomUUID(),
    });
    expect(human.status).toBe(201);
    expect(human.body.message.seq).toBe(2);
    expect(human.body.message.sender).not.toHaveProperty('isBot');

    const history = await owner.client.http.history(room.id, { after: 0 });
    expect(history.messages.map((m: Message) => [m.seq, m.body, m.sender.isBot ?? false])).toEqual([
      [1, 'Deployed v1.2', true],
      [2, 'thanks', false],
    ]);
    const invalid = await post(one, room.id, apiKey.key, { body: '', clientMsgId: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'VALIDATION', fields: { body: expect.any(Array) } });
  });

  it('reaches only the rooms its key is scoped to and still a member of; a revoked key reaches nothing', async () => {
    const [one, two] = suite.apps;
    const owner = await registerUser(one.url, 'botowner');
    const first = await owner.client.http.createRoom({ name: 'Scoped', visibility: 'private' });
    const second = await owner.client.http.createRoom({ name: 'Other', visibility: 'private' });
    const { bot, apiKey } = await createBot(one, owner, first.id);
    await owner.client.http.addMember(second.id, bot.id);
    const message = () => ({ body: 'hi', clientMsgId: randomUUID() });

    // A member of the second room, but this key is not scoped to it.
    const outOfScope = await post(one, second.id, apiKey.key, message());
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.body.code).toBe('FORBIDDEN');

    const created = await rawRequest(one.url, 'POST', `/api/bots/${bot.id}/keys`, {
      token: owner.auth.accessToken,
      body: JSON.stringify({ roomIds: [second.id] }),
    });
    expect(created.status).toBe(201);
    const secondKey: BotApiKey = created.body;
    expect((await post(two, second.id, secondKey.key, message())).status).toBe(201);

    // Scoped, but no longer a member: membership rules as for people.
    await owner.client.http.banMember(second.id, bot.id);
    const banned = await post(one, second.id, secondKey.key, message());
    expect(banned.status).toBe(403);

    const revoke = await rawRequest(one.url, 'DELETE', `/api/bots/${bot.id}/keys/${apiKey.id}`, {
      token: owner.auth.accessToken,
    });
    expect(revoke.status).toBe(204);
    for (const app of suite.apps) {
      const refused = await post(app, first.id, apiKey.key, message());
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('UNAUTHORIZED');
    }
    const keys = await rawRequest(one.url, 'GET', `/api/bots/${bot.id}/keys`, {
      token: owner.auth.accessToken,
    });
    expect(keys.body.find((key: BotApiKey) => key.id === apiKey.id).revokedAt).toEqual(expect.any(String));

    // A forged secret for a real key id, and no credentials at all.
    const forged = `${apiKey.key!.slice(0, -5)}AAAAA`;
    expect((await post(one, first.id, forged, message())).status).toBe(401);
    expect((await post(one, first.id, undefined, message())).status).toBe(401);
    // Someone else's bot: not theirs to give keys to.
    const stranger = await registerUser(one.url, 'stranger');
    const stolen = await rawRequest(one.url, 'POST', `/api/bots/${bot.id}/keys`, {
      token: stranger.auth.accessToken,
      body: JSON.stringify({ roomIds: [first.id] }),
    });
    expect(stolen.status).toBe(403);
  });

  it('receives events over Socket.IO in the rooms its key is scoped to, until the key is revoked', async () => {
    const [one, two] = suite.apps;
    const owner = await registerUser(one.url, 'botowner');
    const scoped = await owner.client.http.createRoom({ name: 'Bot listens', visibility: 'private' });
    const other = await owner.client.http.createRoom({ name: 'Bot not here', visibility: 'private' });
    const { bot, apiKey } = await createBot(one, owner, scoped.id);
    await owner.client.http.addMember(other.id, bot.id);

    const botSocket = await suite.connect(apiKey.key!, two, { reconnection: false });
    const received = new EventRecorder(botSocket, 'message:new');
    const ended = new EventRecorder(botSocket, 'session:ended');
    await botSocket.join(scoped.id);
    await post(one, scoped.id, owner.auth.accessToken, { body: 'hello bot', clientMsgId: randomUUID() });
    expect(await received.next((m) => m.body === 'hello bot', 'the owner message')).toMatchObject({
      roomId: scoped.id,
      sender: { id: owner.id },
    });

    // History (how the SDK fills gaps) with the same key, in its room only.
    const history = await rawRequest(two.url, 'GET', `/api/rooms/${scoped.id}/messages?after=0`, {
      token: apiKey.key,
    });
    expect(history.status).toBe(200);
    expect(history.body.messages.map((m: Message) => m.body)).toEqual(['hello bot']);
    const otherHistory = await rawRequest(two.url, 'GET', `/api/rooms/${other.id}/messages?after=0`, {
      token: apiKey.key,
    });
    expect(otherHistory).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });

    // A member of the other room, but the key does not reach it: neither to listen nor to write.
    await expect(botSocket.join(other.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const outOfScope = await rawAck(botSocket, 'message:send', {
      roomId: other.id,
      body: 'sneaky',
      clientMsgId: randomUUID(),
    });
    expect(outOfScope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const revoke = await rawRequest(one.url, 'DELETE', `/api/bots/${bot.id}/keys/${apiKey.id}`, {
      token: owner.auth.accessToken,
    });
    expect(revoke.status).toBe(204);
    expect(await ended.next()).toMatchObject({ reason: 'logged_out' });
    for (const app of suite.apps) {
      await expect(
        new ChatClient({ baseUrl: app.url, token: apiKey.key }).socket({ reconnection: false }).connect(),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    for (const garbage of ['chatbot_', `chatbot_${'0'.repeat(32)}_${'A'.repeat(43)}`, `${apiKey.key}x`]) {
      await expect(
        new ChatClient({ baseUrl: one.url, token: garbage }).socket({ reconnection: false }).connect(),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });
});

describe('incoming webhooks', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:incoming-${randomUUID().slice(0, 8)}`,
    });
  });
  afterAll(() => app.close());

  it('post to their one room as the bot, idempotently with Idempotency-Key, until revoked', async () => {
    const owner = await registerUser(app.url, 'inowner');
    const room = await owner.client.http.createRoom({ name: 'Alerts', visibility: 'private' });
    const { bot } = await createBot(app, owner, room.id);
    const created = await rawRequest(app.url, 'POST', `/api/bots/${bot.id}/incoming-webhooks`, {
      token: owner.auth.accessToken,
      body: JSON.stringify({ roomId: room.id }),
    });
    expect(created.status).toBe(201);
    const hook: IncomingWebhook = created.body;
    expect(hook).toMatchObject({
      botId: bot.id,
      roomId: room.id,
      path: expect.stringMatching(/^\/api\/incoming\/chatbot_/),
    });

    const send = (body: object, headers: Record<string, string> = {}) =>
      rawRequest(app.url, 'POST', hook.path, { body: JSON.stringify(body), headers });
    const first = await send({ text: 'Build #42 failed' }, { 'idempotency-key': 'build-42' });
    expect(first.status).toBe(201);
    expect(first.body.message).toMatchObject({
      seq: 1,
      body: 'Build #42 failed',
      sender: { id: bot.id, isBot: true },
    });
    const repeat = await send({ text: 'Build #42 failed' }, { 'idempotency-key': 'build-42' });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ duplicate: true, message: { id: first.body.message.id } });
    expect((await send({ body: 'Build #43 passed' })).status).toBe(201);

    const empty = await send({});
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'VALIDATION', fields: { text: expect.any(Array) } });
    expect(
      (await rawRequest(app.url, 'POST', `${hook.path.slice(0, -3)}xyz`, { body: '{"text":"x"}' })).status,
    ).toBe(401);

    await rawRequest(app.url, 'DELETE', `/api/bots/${bot.id}/keys/${hook.keyId}`, {
      token: owner.auth.accessToken,
    });
    expect((await send({ text: 'after revoking' })).status).toBe(401);
    const history = await owner.client.http.history(room.id, { after: 0 });
    expect(history.messages.map((m) => m.body)).toEqual(['Build #42 failed', 'Build #43 passed']);
  });
});

describe('a bot’s message budget (2 instances)', () => {
  let apps: TestApp[];

  beforeAll(async () => {
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:botrate-${randomUUID().slice(0, 8)}`,
      MESSAGE_RATE_LIMIT: '2',
      MESSAGE_RATE_WINDOW_SECONDS: '60',
      MESSAGE_BURST: '2',
    };
    apps = [await startTestApp(env), await startTestApp(env)];
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it('is the per-user budget of people, shared by every instance; refused messages are not stored', async () => {
    const owner = await registerUser(apps[0].url, 'botrate');
    const room = await owner.client.http.createRoom({ name: 'Budget', visibility: 'private' });
    const { apiKey } = await createBot(apps[0], owner, room.id);
    const statuses: number[] = [];
    let lastRefusal: { code?: string; retryAfter?: number } = {};
    for (let i = 0; i < 6; i++) {
      const answer = await post(apps[i % 2], room.id, apiKey.key, {
        body: `m${i}`,
        clientMsgId: randomUUID(),
      });
      statuses.push(answer.status);
      if (answer.status === 429) lastRefusal = answer.body;
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
    expect(lastRefusal.code).toBe('RATE_LIMITED');
    expect(lastRefusal.retryAfter).toBeGreaterThanOrEqual(1);
    const history = await owner.client.http.history(room.id, { after: 0 });
    expect(history.messages.map((m) => m.body)).toEqual(['m0', 'm1', 'm2', 'm3']);
  });
});
