import { ErrorCode, type UserRef } from '@chat/contracts';

import { BotsService } from './bots.service';

const OWNER = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const BOT = '00000000-0000-4000-8000-0000000000b1';
const ROOM = '00000000-0000-4000-8000-0000000000c1';
const KEY_ID = '00000000-0000-4000-8000-0000000000d1';

/** BotsService with its repositories and collaborators faked. */
function setup() {
  const bots = {
    insertBot: jest.fn(async () => ({ id: BOT, username: 'helper', displayName: 'helper', createdAt: '' })),
    removeBot: jest.fn(async () => undefined),
    creatorOf: jest.fn(async (): Promise<string | null> => OWNER),
    keysOf: jest.fn(async () => []),
    insertKey: jest.fn(async (key: { id: string; botId: string; roomIds: string[] }) => ({
      id: key.id,
      botId: key.botId,
      roomIds: key.roomIds,
      createdAt: '',
      revokedAt: null,
    })),
    revokeKey: jest.fn(async () => true),
  };
  const roomsRepo = {
    findEntity: jest.fn(async (roomId: string) =>
      roomId === ROOM ? { kind: 'group', ownerId: OWNER } : null,
    ),
  };
  const rooms = { addMember: jest.fn(async () => undefined) };
  const messages = { send: jest.fn(async () => ({ message: {} })) };
  const budgets = { consume: jest.fn(async () => undefined) };
  const service = new BotsService(
    bots as never,
    roomsRepo as never,
    rooms as never,
    messages as never,
    budgets as never,
    { endTokenSessions: jest.fn() } as never,
  );
  return { service, bots, rooms, messages };
}

describe('BotsService: who manages a bot', () => {
  it('creates a bot only in a room the caller owns, and removes it again when it cannot join', async () => {
    const { service, bots, rooms } = setup();
    await expect(service.create(OTHER, ROOM, { username: 'helper' })).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    expect(bots.insertBot).not.toHaveBeenCalled();
    rooms.addMember.mockRejectedValueOnce(new Error('room full'));
    await expect(service.create(OWNER, ROOM, { username: 'helper' })).rejects.toThrow('room full');
    expect(bots.removeBot).toHaveBeenCalledWith(BOT);
  });

  it("lets only the bot's creator list, add and revoke its keys", async () => {
    const { service, bots } = setup();
    for (const call of [
      () => service.keys(OTHER, BOT),
      () => service.createKey(OTHER, BOT, [ROOM]),
      () => service.revokeKey(OTHER, BOT, KEY_ID),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    }
    bots.creatorOf.mockResolvedValueOnce(null);
    await expect(service.keys(OWNER, BOT)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect(bots.keysOf).not.toHaveBeenCalled();
    expect(bots.insertKey).not.toHaveBeenCalled();
    expect(bots.revokeKey).not.toHaveBeenCalled();
  });

  it('scopes a new key only to rooms the creator owns, each room once', async () => {
    const { service, bots } = setup();
    await expect(service.createKey(OWNER, BOT, [ROOM, KEY_ID])).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
    expect(bots.insertKey).not.toHaveBeenCalled();
    const key = await service.createKey(OWNER, BOT, [ROOM, ROOM]);
    expect(key.roomIds).toEqual([ROOM]);
    expect(key.key).toMatch(/^chatbot_/);
  });

  it('answers NOT_FOUND when revoking a key the bot does not have', async () => {
    const { service, bots } = setup();
    bots.revokeKey.mockResolvedValueOnce(false);
    await expect(service.revokeKey(OWNER, BOT, KEY_ID)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});

describe('BotsService.post', () => {
  it('refuses a room outside the key scope before spending budget or sending', async () => {
    const { service, messages } = setup();
    const bot: UserRef = { id: BOT, username: 'helper', displayName: 'helper', isBot: true };
    await expect(
      service.post(bot, [ROOM], { roomId: KEY_ID, body: 'hi', clientMsgId: 'c1' }),
    ).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    expect(messages.send).not.toHaveBeenCalled();
    await service.post(bot, [ROOM], { roomId: ROOM, body: 'hi', clientMsgId: 'c1' });
    expect(messages.send).toHaveBeenCalledWith(bot, { roomId: ROOM, body: 'hi', clientMsgId: 'c1' });
  });
});
