import { randomUUID } from 'node:crypto';

import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { registerUser } from './support/users';

/**
 * Rolling deploys close instances while others serve: closing some instances must leave nothing
 * the remaining ones rely on broken (shared Redis keys or scripts, pools, process-wide state).
 */
describe('closing instances leaves the others serving', () => {
  const opened: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((app) => app.close()));
  });

  async function startThree(): Promise<TestApp[]> {
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:close-${randomUUID().slice(0, 8)}`,
    };
    const apps: TestApp[] = [];
    for (let i = 0; i < 3; i += 1) apps.push(await startTestApp(env));
    opened.push(...apps);
    return apps;
  }

  async function close(app: TestApp): Promise<void> {
    await app.close();
    opened.splice(opened.indexOf(app), 1);
  }

  async function expectServing(app: TestApp): Promise<void> {
    const alice = await registerUser(app.url, 'alice');
    const room = await alice.client.http.createRoom({ name: 'After close', visibility: 'public' });
    const socket = alice.client.socket();
    try {
      await socket.connect();
      const sent = await socket.send(room.id, 'still here');
      expect(sent.message).toMatchObject({ seq: 1, body: 'still here' });
      const history = await alice.client.http.history(room.id, {});
      expect(history.messages.map((m) => m.body)).toEqual(['still here']);
    } finally {
      socket.disconnect();
    }
  }

  it('the last started instance serves after the first two are closed', async () => {
    const [first, second, third] = await startThree();
    await close(first);
    await close(second);
    await expectServing(third);
  });

  it('the first started instance serves after the last two are closed', async () => {
    const [first, second, third] = await startThree();
    await close(third);
    await close(second);
    await expectServing(first);
  });
});
