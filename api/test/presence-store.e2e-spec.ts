import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';

import { RedisPresenceStore } from '../src/presence/redis-presence.store';
import { RUN_REDIS_PREFIX_VAR, TEST_REDIS_URL } from './support/test-env';

/**
 * The Redis presence store batches the connects and disconnects of one event-loop turn into one
 * script call: a connection storm must count exactly as one call per change did.
 */
describe('Redis presence store, batched per event-loop turn', () => {
  let redis: Redis;
  let store: RedisPresenceStore;
  let other: RedisPresenceStore;

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
    const prefix = `${process.env[RUN_REDIS_PREFIX_VAR]}:presence-${randomUUID().slice(0, 8)}:{presence}`;
    store = new RedisPresenceStore(redis, prefix, 'api-1', 12_000);
    other = new RedisPresenceStore(redis, prefix, 'api-2', 12_000);
  });
  afterEach(async () => {
    await store.leave();
    await other.leave();
    redis.disconnect();
  });

  it('tells exactly one of many simultaneous connections of a user that it is the first anywhere', async () => {
    const users = Array.from({ length: 300 }, () => randomUUID());
    const firsts = await Promise.all(
      users.flatMap((user) => [
        store.addConnection(user),
        other.addConnection(user),
        store.addConnection(user),
      ]),
    );
    expect(firsts.filter(Boolean)).toHaveLength(users.length);
    expect(await Promise.all(users.map((user) => store.connectionsOf(user)))).toEqual(users.map(() => 3));
    expect((await store.stats()).connections).toBe(900);
  });

  it('applies a connect and a disconnect made in the same turn in order: the user ends offline', async () => {
    const user = randomUUID();
    const [first, last] = await Promise.all([store.addConnection(user), store.removeConnection(user)]);
    expect([first, last]).toEqual([true, true]);
    expect(await store.onlineAmong([user])).toEqual(new Set());
    expect((await store.stats()).connections).toBe(0);
  });

  it('ignores a disconnect this instance never counted', async () => {
    const user = randomUUID();
    await other.addConnection(user);
    expect(await store.removeConnection(user)).toBe(false);
    expect(await store.connectionsOf(user)).toBe(1);
  });
});
