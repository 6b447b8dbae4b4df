import { TestBed } from '@angular/core/testing';

import { RoomBot, Webhook } from '@chat/contracts';
import { ChatApiError } from '@chat/sdk';

import { ChatApi } from '../shared/chat-api';
import { IntegrationsStore } from './integrations.store';

const BOT = { id: 'bot-1', username: 'ci', displayName: 'CI', createdAt: '' };
const KEY = {
  id: 'key-1',
  botId: 'bot-1',
  roomIds: ['room-1'],
  kind: 'api' as const,
  createdAt: '',
  revokedAt: null,
};
const HOOK: Webhook = {
  id: 'hook-1',
  roomId: 'room-1',
  url: 'https://hooks.test/x',
  events: ['message.created'],
  createdAt: '',
  consecutiveFailures: 0,
  disabledAt: null,
};

describe('IntegrationsStore', () => {
  let bots: RoomBot[];
  const http = {
    roomBots: jest.fn(async () => bots),
    webhooks: jest.fn(async () => [HOOK]),
    webhookDeliveries: jest.fn(async () => [
      {
        deliveryId: 'd1',
        event: 'message.created' as const,
        attempt: 1,
        outcome: 'delivered' as const,
        responseStatus: 200,
        error: null,
        instanceId: 'api-1',
        createdAt: '',
      },
    ]),
    createBot: jest.fn(async () => {
      bots = [{ bot: BOT, keys: [KEY] }];
      return { bot: BOT, apiKey: { ...KEY, key: 'chatbot_secret' } };
    }),
    rotateIncomingWebhook: jest.fn(async () => ({
      keyId: 'key-3',
      botId: 'bot-1',
      roomId: 'room-1',
      path: '/api/incoming/chatbot_new',
    })),
  };

  function createStore(): IntegrationsStore {
    bots = [];
    TestBed.configureTestingModule({
      providers: [IntegrationsStore, { provide: ChatApi, useValue: { http } }],
    });
    return TestBed.inject(IntegrationsStore);
  }

  afterEach(() => jest.clearAllMocks());

  it('loads the room’s bots and webhooks with one summary line per delivery', async () => {
    const store = createStore();
    await store.open('room-1');
    expect(store.loaded()).toBe(true);
    expect(http.roomBots).toHaveBeenCalledWith('room-1');
    expect(store.webhooks()).toEqual([HOOK]);
    expect(store.deliveries().get('hook-1')).toEqual([
      expect.objectContaining({ deliveryId: 'd1', outcome: 'delivered', attempts: 1 }),
    ]);
  });

  it('holds a new secret only until it is dismissed or the panel is opened again', async () => {
    const store = createStore();
    await store.open('room-1');
    expect(await store.createBot('ci', '')).toBe(true);
    expect(http.createBot).toHaveBeenCalledWith('room-1', { username: 'ci', displayName: undefined });
    expect(store.secret()).toEqual({ title: 'API key for @ci', value: 'chatbot_secret' });
    expect(store.bots()).toEqual([{ bot: BOT, keys: [KEY] }]);
    await store.open('room-1');
    expect(store.secret()).toBeNull();
  });

  it('shows a rotated incoming URL whole, under the page’s origin', async () => {
    const store = createStore();
    await store.open('room-1');
    await store.incomingUrl('bot-1', 'key-2');
    expect(http.rotateIncomingWebhook).toHaveBeenCalledWith('bot-1', 'key-2');
    expect(store.secret()?.value).toBe(`${location.origin}/api/incoming/chatbot_new`);
  });

  it('shows why the panel cannot load, e.g. for someone who is not the owner', async () => {
    const store = createStore();
    http.roomBots.mockRejectedValueOnce(
      new ChatApiError(403, { code: 'FORBIDDEN', message: 'Only the room owner can manage its bots' }),
    );
    await store.open('room-1');
    expect(store.loaded()).toBe(false);
    expect(store.loadError()).toBe('Only the room owner can manage its bots');
  });
});
