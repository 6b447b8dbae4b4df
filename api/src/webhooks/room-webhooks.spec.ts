import { RoomWebhooks } from './room-webhooks';

describe('RoomWebhooks', () => {
  const ROOM = 'room-1';

  function setUp(redisAnswers: () => Promise<string | null>) {
    const lists = [[{ id: 'hook-1' }], [{ id: 'hook-1' }, { id: 'hook-2' }]];
    let reads = 0;
    const webhooks = { activeOfRoom: jest.fn(async () => lists[Math.min(reads++, lists.length - 1)]) };
    const client = { status: 'ready', get: jest.fn(redisAnswers), incr: jest.fn(async () => 1) };
    const redis = { client, key: (...parts: string[]) => parts.join(':') };
    return { roomWebhooks: new RoomWebhooks(webhooks as never, redis as never), webhooks, client };
  }

  it('reads the list once while the room’s version stays the same', async () => {
    const { roomWebhooks, webhooks } = setUp(async () => '3');
    await roomWebhooks.activeOf(ROOM);
    expect(await roomWebhooks.activeOf(ROOM)).toEqual([{ id: 'hook-1' }]);
    expect(webhooks.activeOfRoom).toHaveBeenCalledTimes(1);
  });

  it('reads it again as soon as another instance changed the version', async () => {
    let version = '3';
    const { roomWebhooks, webhooks } = setUp(async () => version);
    await roomWebhooks.activeOf(ROOM);
    version = '4';
    expect(await roomWebhooks.activeOf(ROOM)).toEqual([{ id: 'hook-1' }, { id: 'hook-2' }]);
    expect(webhooks.activeOfRoom).toHaveBeenCalledTimes(2);
  });

  it('bumps the version in Redis on a change', async () => {
    const { roomWebhooks, client } = setUp(async () => null);
    await roomWebhooks.changed(ROOM);
    expect(client.incr).toHaveBeenCalledWith(`webhooks:${ROOM}:version`);
  });

  it('reads the database while Redis is disconnected, without waiting for it', async () => {
    const { roomWebhooks, webhooks, client } = setUp(async () => '3');
    client.status = 'reconnecting';
    await roomWebhooks.activeOf(ROOM);
    await roomWebhooks.activeOf(ROOM);
    expect(client.get).not.toHaveBeenCalled();
    expect(webhooks.activeOfRoom).toHaveBeenCalledTimes(2);
  });

  it('reads the database every time Redis does not answer, rather than trusting its copy', async () => {
    const { roomWebhooks, webhooks } = setUp(async () => {
      throw new Error('Connection is closed');
    });
    await roomWebhooks.activeOf(ROOM);
    await roomWebhooks.activeOf(ROOM);
    expect(webhooks.activeOfRoom).toHaveBeenCalledTimes(2);
  });
});
