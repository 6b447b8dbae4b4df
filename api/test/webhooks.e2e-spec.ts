import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Webhook, WebhookDelivery, WebhookPayload } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { verifyWebhook } from '../src/webhooks/webhook-signature';
import { BuiltApp, startBuiltApp } from './support/built-app';
import { TEST_JWT_SECRET, TestApp, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR, TEST_REDIS_URL } from './support/test-env';
import { TestUser, rawRequest, registerUser } from './support/users';
import { ReceivedHook, WebhookReceiver } from './support/webhook-receiver';

const WAIT_MS = 20_000;

async function createWebhook(
  baseUrl: string,
  owner: TestUser,
  roomId: string,
  url: string,
): Promise<Webhook> {
  const created = await rawRequest(baseUrl, 'POST', `/api/rooms/${roomId}/webhooks`, {
    token: owner.auth.accessToken,
    body: JSON.stringify({ url }),
  });
  expect(created.status).toBe(201);
  return created.body;
}

const deliveriesOf = async (baseUrl: string, owner: TestUser, roomId: string, webhookId: string) =>
  (
    await rawRequest(baseUrl, 'GET', `/api/rooms/${roomId}/webhooks/${webhookId}/deliveries`, {
      token: owner.auth.accessToken,
    })
  ).body as WebhookDelivery[];

/** Polls a REST read until it satisfies the predicate (the state lives in Postgres; no event announces it). */
async function until<T>(read: () => Promise<T>, predicate: (value: T) => boolean, label: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const payloadOf = (hook: ReceivedHook) => JSON.parse(hook.body) as WebhookPayload;

describe('outgoing webhooks', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:hooks-${randomUUID().slice(0, 8)}`,
      WEBHOOK_BACKOFF_MS: '50',
      WEBHOOK_MAX_ATTEMPTS: '10',
      WEBHOOK_DISABLE_AFTER_FAILURES: '3',
    });
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await receiver.close();
  });
  afterAll(() => app.close());

  async function roomWithOwner() {
    const owner = await registerUser(app.url, 'hookowner');
    const room = await owner.client.http.createRoom({ name: 'Hooked', visibility: 'public' });
    const socket = new ChatClient({ baseUrl: app.url, token: owner.auth.accessToken }).socket();
    sockets.push(socket);
    await socket.connect();
    await socket.join(room.id);
    return { owner, room, socket };
  }

  it('signs message.created and message.updated with HMAC-SHA256 over timestamp and body', async () => {
    const { owner, room, socket } = await roomWithOwner();
    const member = await registerUser(app.url, 'hookmember');
    await member.client.http.joinRoom(room.id);
    const notOwner = await rawRequest(app.url, 'POST', `/api/rooms/${room.id}/webhooks`, {
      token: member.auth.accessToken,
      body: JSON.stringify({ url: receiver.url }),
    });
    expect(notOwner.status).toBe(403);
    const plainHttp = await rawRequest(app.url, 'POST', `/api/rooms/${room.id}/webhooks`, {
      token: owner.auth.accessToken,
      body: JSON.stringify({ url: 'http://example.com/hook' }),
    });
    expect(plainHttp.status).toBe(400);
    expect(plainHttp.body.fields.url).toEqual(expect.any(Array));

    const webhook = await createWebhook(app.url, owner, room.id, receiver.url);
    expect(webhook.secret).toMatch(/^whsec_/);
    const listed = await rawRequest(app.url, 'GET', `/api/rooms/${room.id}/webhooks`, {
      token: owner.auth.accessToken,
    });
    expect(listed.body).toEqual([{ ...webhook, secret: undefined }].map(({ secret: _s, ...rest }) => rest));

    const { message } = await socket.send(room.id, 'hello hooks');
    const created = await receiver.next((hook) => hook.headers['x-chat-event'] === 'message.created');
    const timestamp = created.headers['x-chat-timestamp'] as string;
    const expected = createHmac('sha256', webhook.secret!)
      .update(`${timestamp}.${created.body}`)
      .digest('hex');
    expect(created.headers['x-chat-signature']).toBe(`v1=${expected}`);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
    expect(payloadOf(created)).toMatchObject({
      deliveryId: created.headers['x-chat-delivery'],
      event: 'message.created',
      message: { id: message.id, seq: 1, body: 'hello hooks' },
    });
    const signature = { signature: created.headers['x-chat-signature'] as string, timestamp };
    expect(verifyWebhook(webhook.secret!, signature, created.body)).toBe(true);
    expect(verifyWebhook(webhook.secret!, signature, created.body.replace('hello', 'HELLO'))).toBe(false);
    expect(verifyWebhook('whsec_other', signature, created.body)).toBe(false);
    // The same request replayed later than the window is refused by a receiver that checks.
    expect(verifyWebhook(webhook.secret!, signature, created.body, Number(timestamp) + 301)).toBe(false);

    await socket.edit(message.id, 'hello hooks, edited');
    const updated = await receiver.next((hook) => hook.headers['x-chat-event'] === 'message.updated');
    expect(payloadOf(updated).message).toMatchObject({ id: message.id, body: 'hello hooks, edited' });
    expect(updated.headers['x-chat-delivery']).not.toBe(created.headers['x-chat-delivery']);
  });

  it('shows, enables and removes a room’s webhooks and deliveries to its owner only', async () => {
    const { owner, room } = await roomWithOwner();
    const member = await registerUser(app.url, 'hookmember');
    await member.client.http.joinRoom(room.id);
    const webhook = await createWebhook(app.url, owner, room.id, receiver.url);
    for (const [method, path] of [
      ['GET', `/api/rooms/${room.id}/webhooks`],
      ['GET', `/api/rooms/${room.id}/webhooks/${webhook.id}/deliveries`],
      ['POST', `/api/rooms/${room.id}/webhooks/${webhook.id}/enable`],
      ['DELETE', `/api/rooms/${room.id}/webhooks/${webhook.id}`],
    ]) {
      const refused = await rawRequest(app.url, method, path, { token: member.auth.accessToken });
      expect({ method, path, status: refused.status, code: refused.body.code }).toEqual({
        method,
        path,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    expect((await owner.client.http.webhooks(room.id)).map((hook) => hook.id)).toEqual([webhook.id]);
  });

  it('retries with backoff until delivered: one delivery id, every attempt in the log', async () => {
    const { owner, room, socket } = await roomWithOwner();
    const webhook = await createWebhook(app.url, owner, room.id, receiver.url);
    receiver.plan = [500, 502];

    await socket.send(room.id, 'try again');
    const delivered = await receiver.next((hook) => hook.status === 200, 'the successful attempt');
    expect(receiver.received.map((hook) => hook.status)).toEqual([500, 502, 200]);
    expect(new Set(receiver.received.map((hook) => hook.headers['x-chat-delivery']))).toEqual(
      new Set([delivered.headers['x-chat-delivery']]),
    );
    const log = await until(
      () => deliveriesOf(app.url, owner, room.id, webhook.id),
      (rows) => rows.length === 3,
      'three logged attempts',
    );
    expect(log.map((row) => [row.attempt, row.outcome, row.responseStatus])).toEqual([
      [3, 'delivered', 200],
      [2, 'failed', 502],
      [1, 'failed', 500],
    ]);
  });

  it('is disabled after repeated failures and delivers nothing more until enabled again', async () => {
    const { owner, room, socket } = await roomWithOwner();
    const failing = await createWebhook(app.url, owner, room.id, receiver.url);
    const healthyReceiver = await WebhookReceiver.start();
    try {
      await createWebhook(app.url, owner, room.id, healthyReceiver.url);
      receiver.status = 503;

      await socket.send(room.id, 'first');
      await receiver.next(() => receiver.received.length === 3, 'three failed attempts');
      const [disabled] = await until(
        async () =>
          (
            await rawRequest(app.url, 'GET', `/api/rooms/${room.id}/webhooks`, {
              token: owner.auth.accessToken,
            })
          ).body as Webhook[],
        (hooks) => hooks.find((hook) => hook.id === failing.id)?.disabledAt != null,
        'the webhook to be disabled',
      ).then((hooks) => hooks.filter((hook) => hook.id === failing.id));
      expect(disabled).toMatchObject({ consecutiveFailures: 3, disabledAt: expect.any(String) });

      // The healthy webhook of the same room gets the next message; the disabled one does not.
      await socket.send(room.id, 'second');
      await healthyReceiver.next((hook) => payloadOf(hook).message.body === 'second');
      expect(receiver.received).toHaveLength(3);

      const enabled = await rawRequest(
        app.url,
        'POST',
        `/api/rooms/${room.id}/webhooks/${failing.id}/enable`,
        {
          token: owner.auth.accessToken,
        },
      );
      expect(enabled.body).toMatchObject({ disabledAt: null, consecutiveFailures: 0 });
      receiver.status = 200;
      const { message: third } = await socket.send(room.id, 'third');
      await receiver.next((hook) => hook.status === 200 && payloadOf(hook).message.id === third.id);
    } finally {
      await healthyReceiver.close();
    }
  });
});

describe('webhook delivery across instances', () => {
  const instances: BuiltApp[] = [];
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const env = (id: string) => ({
      NODE_ENV: 'test',
      INSTANCE_ID: id,
      DATABASE_URL: process.env[RUN_DATABASE_URL_VAR],
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:hooks-kill`,
      JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chat-hooks-')),
      WEB_DIST_DIR: '/nonexistent',
      LOG_LEVEL: 'warn',
      WEBHOOK_BACKOFF_MS: '500',
      WEBHOOK_LOCK_MS: '2000',
    });
    // Pushed one by one, so afterAll stops the first if the second fails to start.
    instances.push(await startBuiltApp(env('hook-a')));
    instances.push(await startBuiltApp(env('hook-b')));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
    await receiver.close();
  });

  it('a webhook added on one instance takes part in the very next message accepted by another', async () => {
    const [adding, accepting] = instances;
    const owner = await registerUser(adding.url, 'nexthook');
    const room = await owner.client.http.createRoom({ name: 'Next message', visibility: 'public' });
    const onAccepting = new ChatClient({ baseUrl: accepting.url, token: owner.auth.accessToken }).http;
    // The accepting instance has just looked up the room's (empty) webhook list for this message.
    await onAccepting.postMessage(room.id, 'before the webhook', randomUUID());

    // Its own endpoint: the next test reads the shared receiver's first request.
    const ownReceiver = await WebhookReceiver.start();
    try {
      await createWebhook(adding.url, owner, room.id, ownReceiver.url);
      const { message } = await onAccepting.postMessage(room.id, 'right after', randomUUID());

      const delivered = await ownReceiver.next(
        (hook) => payloadOf(hook).message.id === message.id,
        'the delivery of the message sent right after the webhook was added',
      );
      expect(payloadOf(delivered).event).toBe('message.created');
    } finally {
      await ownReceiver.close();
    }
  }, 60_000);

  it('survives kill -9 of the instance that accepted the message', async () => {
    const [accepting, survivor] = instances;
    const owner = await registerUser(accepting.url, 'killhook');
    const room = await owner.client.http.createRoom({ name: 'Survives', visibility: 'public' });
    const webhook = await createWebhook(accepting.url, owner, room.id, receiver.url);
    receiver.status = 503;

    const socket = new ChatClient({ baseUrl: accepting.url, token: owner.auth.accessToken }).socket({
      reconnection: false,
    });
    await socket.connect();
    await socket.join(room.id);
    const { message } = await socket.send(room.id, 'keep me');
    // Acked: the delivery is in Redis. The first attempt fails; then the accepting instance dies.
    await receiver.next();
    await accepting.stop('SIGKILL');
    socket.disconnect();
    receiver.status = 200;

    const delivered = await receiver.next((hook) => hook.status === 200, 'the delivery after the kill');
    expect(payloadOf(delivered).message.id).toBe(message.id);
    const log = await until(
      () => deliveriesOf(survivor.url, owner, room.id, webhook.id),
      (rows) => rows.some((row) => row.outcome === 'delivered'),
      'the logged delivery',
    );
    expect(log[0]).toMatchObject({ outcome: 'delivered', instanceId: 'hook-b' });
    expect(new Set(log.map((row) => row.deliveryId)).size).toBe(1);
  }, 60_000);
});
