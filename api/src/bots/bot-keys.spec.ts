import { newApiKey } from './api-key';
import { BotKeys } from './bot-keys';
import type { KeyWithBot } from './bots.repository';

const BOT = '00000000-0000-4000-8000-0000000000b1';
const ROOM = '00000000-0000-4000-8000-0000000000c1';
const KEY_ID = '00000000-0000-4000-8000-0000000000d1';

/** BotKeys with its repository faked. */
function setup() {
  const bots = { keyWithBot: jest.fn(async (): Promise<KeyWithBot | null> => null) };
  return { keys: new BotKeys(bots as never), bots };
}

describe('BotKeys.authenticate', () => {
  const issued = newApiKey(KEY_ID);
  const stored = (overrides: Partial<KeyWithBot> = {}): KeyWithBot => ({
    secretHash: issued.secretHash,
    roomIds: [ROOM],
    revoked: false,
    suspended: false,
    bot: { id: BOT, username: 'helper', displayName: 'helper', isBot: true },
    ...overrides,
  });

  it('names the bot and the rooms of a valid key', async () => {
    const { keys, bots } = setup();
    bots.keyWithBot.mockResolvedValueOnce(stored());
    await expect(keys.authenticate(issued.key)).resolves.toEqual({
      user: expect.objectContaining({ id: BOT, isBot: true }),
      keyId: KEY_ID,
      roomIds: [ROOM],
    });
    expect(bots.keyWithBot).toHaveBeenCalledWith(KEY_ID);
  });

  it.each([
    ['revoked', { revoked: true }],
    ['of a suspended bot', { suspended: true }],
    ['with another secret', { secretHash: newApiKey(KEY_ID).secretHash }],
  ])('refuses a key %s', async (_case, overrides) => {
    const { keys, bots } = setup();
    bots.keyWithBot.mockResolvedValueOnce(stored(overrides));
    await expect(keys.authenticate(issued.key)).resolves.toBeNull();
  });

  it('refuses an unknown or malformed key', async () => {
    const { keys, bots } = setup();
    await expect(keys.authenticate(issued.key)).resolves.toBeNull();
    await expect(keys.authenticate('chatbot_nope')).resolves.toBeNull();
    expect(bots.keyWithBot).toHaveBeenCalledTimes(1);
  });
});

describe('BotKeys.current', () => {
  it('answers null once the key is revoked', async () => {
    const { keys, bots } = setup();
    bots.keyWithBot.mockResolvedValueOnce({
      secretHash: newApiKey(KEY_ID).secretHash,
      roomIds: [ROOM],
      revoked: true,
      suspended: false,
      bot: { id: BOT, username: 'helper', displayName: 'helper', isBot: true },
    });
    await expect(keys.current(KEY_ID)).resolves.toBeNull();
  });
});
