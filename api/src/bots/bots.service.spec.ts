import { type BotApiKey, type BotApiKeyKind, ErrorCode, type UserRef } from '@chat/contracts';

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
    keyOf: jest.fn(async (): Promise<BotApiKey | null> => null),
    botsInRoom: jest.fn(async () => []),
    insertKey: jest.fn(
      async (key: { id: string; botId: string; roomIds: string[]; kind: BotApiKeyKind }) => ({
        id: key.id,
        botId: key.botId,
        roomIds: key.roomIds,
        kind: key.kind,
        createdAt: '',
        revokedAt: null,
      }),
    ),
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

describe('BotsService: the Integrations panel', () => {
  const incoming: BotApiKey = {
    id: KEY_ID,
    botId: BOT,
    roomIds: [ROOM],
    kind: 'incoming',
    createdAt: '',
    revokedAt: null,
  };

  it('lists a room’s bots to its owner only', async () => {
    const { service, bots } = setup();
    await expect(service.roomBots(OTHER, ROOM)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(bots.botsInRoom).not.toHaveBeenCalled();
    await service.roomBots(OWNER, ROOM);
    expect(bots.botsInRoom).toHaveBeenCalledWith(ROOM, OWNER);
  });

  it('rotates an incoming webhook: a new incoming key for the same room first, then the old one revoked', async () => {
    const { service, bots } = setup();
    bots.keyOf.mockResolvedValue(incoming);
    const rotated = await service.rotateIncomingWebhook(OWNER, BOT, KEY_ID);
    expect(rotated).toMatchObject({
      botId: BOT,
      roomId: ROOM,
      path: expect.stringMatching(/^\/api\/incoming\/chatbot_/),
    });
    expect(rotated.keyId).not.toBe(KEY_ID);
    expect(bots.insertKey).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'incoming', roomIds: [ROOM] }),
    );
    expect(bots.revokeKey).toHaveBeenCalledWith(BOT, KEY_ID);
    expect(bots.insertKey.mock.invocationCallOrder[0]).toBeLessThan(
      bots.revokeKey.mock.invocationCallOrder[0],
    );
  });

  it.each([
    ['an API key', { ...incoming, kind: 'api' as const }],
    ['a revoked URL', { ...incoming, revokedAt: '2026-01-01T00:00:00.000Z' }],
    ['an unknown key', null],
  ])('refuses to rotate %s, and refuses anyone but the bot’s creator', async (_label, key) => {
    const { service, bots } = setup();
    bots.keyOf.mockResolvedValue(key);
    await expect(service.rotateIncomingWebhook(OWNER, BOT, KEY_ID)).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
    await expect(service.rotateIncomingWebhook(OTHER, BOT, KEY_ID)).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    expect(bots.insertKey).not.toHaveBeenCalled();
    expect(bots.revokeKey).not.toHaveBeenCalled();
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
