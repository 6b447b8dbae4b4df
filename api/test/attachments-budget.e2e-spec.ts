import { randomUUID } from 'node:crypto';

import { randomFile, upload } from './support/attachments';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { registerUser } from './support/users';

/** The per-user upload budgets, counted for the cluster: instances of their own with small limits. */
describe('attachment upload budgets across 2 instances', () => {
  let limited: TestApp[];

  beforeAll(async () => {
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:att-budget-${randomUUID().slice(0, 8)}`,
      ATTACHMENT_UPLOAD_RATE_LIMIT: '3',
      ATTACHMENT_PENDING_MAX_BYTES: '100000',
    };
    limited = [await startTestApp(env), await startTestApp(env)];
  });
  afterAll(() => Promise.all(limited.map((app) => app.close())));

  it('holds each user to an upload rate and a budget of unsent bytes, on every instance', async () => {
    const alice = await registerUser(limited[0].url, 'alice');
    const bob = await registerUser(limited[1].url, 'bob');
    const room = await alice.client.http.createRoom({ name: 'Budget', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);
    const token = alice.auth.accessToken;
    // Unsent bytes: 60 KB waits, another 60 KB would pass 100 KB (counting its multipart framing).
    expect((await upload(limited[0].url, token, room.id, randomFile(60_000), 'a.bin')).status).toBe(201);
    expect(await upload(limited[1].url, token, room.id, randomFile(60_000), 'b.bin')).toMatchObject({
      status: 429,
      body: { code: 'RATE_LIMITED' },
    });
    // The third upload of the minute (across both instances) is the last.
    expect((await upload(limited[1].url, token, room.id, randomFile(10), 'c.bin')).status).toBe(201);
    const refused = await upload(limited[0].url, token, room.id, randomFile(10), 'd.bin');
    expect(refused).toMatchObject({
      status: 429,
      body: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
    });
    // Bob's budget is his own.
    expect(
      (await upload(limited[0].url, bob.auth.accessToken, room.id, randomFile(10), 'e.bin')).status,
    ).toBe(201);
  });
});
