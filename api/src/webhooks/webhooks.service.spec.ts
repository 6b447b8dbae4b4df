import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';

import { ErrorCode, type Webhook } from '@chat/contracts';

import type { DeliveryJob, DeliveryProcessor } from './webhook-queue';
import { WebhooksService } from './webhooks.service';

const OWNER = '00000000-0000-4000-8000-000000000001';
const MEMBER = '00000000-0000-4000-8000-000000000002';
const ROOM = '00000000-0000-4000-8000-0000000000c1';
const HOOK = '00000000-0000-4000-8000-0000000000f1';
const DISABLE_AFTER = 3;

function stored(url: string): Webhook {
  return {
    id: HOOK,
    roomId: ROOM,
    url,
    events: ['message.created'],
    createdAt: '2026-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
    disabledAt: null,
  };
}

/** WebhooksService with its repositories, queue and config faked; the delivery processor is captured. */
function setup(
  room: { kind: 'group' | 'direct'; ownerId: string | null } | null = { kind: 'group', ownerId: OWNER },
) {
  const webhooks = {
    insert: jest.fn(async (webhook: { url: string }) => stored(webhook.url)),
    listOfRoom: jest.fn(async () => [stored('https://example.com/hook')]),
    remove: jest.fn(async () => undefined),
    enable: jest.fn(async (): Promise<Webhook | null> => stored('https://example.com/hook')),
    deliveries: jest.fn(async () => []),
    activeOfRoom: jest.fn(async () => []),
    target: jest.fn(async () => ({ url: 'https://example.com/hook', secret: 's3cret', disabled: false })),
    recordAttempt: jest.fn(async () => undefined),
    resetFailures: jest.fn(async () => undefined),
    countFailure: jest.fn(async () => false),
  };
  const rooms = { findEntity: jest.fn(async () => room) };
  let processor: DeliveryProcessor | null = null;
  const queue = {
    available: true,
    process: (registered: DeliveryProcessor) => {
      processor = registered;
    },
    add: jest.fn(async () => undefined),
  };
  const messageHooks = { register: jest.fn() };
  const config = {
    get: (key: string) =>
      key === 'app.instanceId' ? 'instance-a' : { timeoutMs: 1000, disableAfterFailures: DISABLE_AFTER },
  };
  const roomWebhooks = { activeOf: jest.fn(async () => []), changed: jest.fn(async () => undefined) };
  const service = new WebhooksService(
    webhooks as never,
    roomWebhooks as never,
    rooms as never,
    queue as never,
    messageHooks as never,
    config as never,
  );
  service.onModuleInit();
  const deliver = (attemptsMade = 0) =>
    processor!({
      id: 'delivery-1',
      attemptsMade,
      data: {
        webhookId: HOOK,
        event: 'message.created',
        occurredAt: '2026-01-01T00:00:00.000Z',
        message: { id: '1', roomId: ROOM } as DeliveryJob['message'],
      },
    } as Job<DeliveryJob>);
  return { service, webhooks, queue, deliver };
}

describe('WebhooksService: owner-only', () => {
  // Thunks, so each call starts only once the previous one was checked.
  const calls = (service: WebhooksService, callerId: string) => [
    () => service.create(callerId, ROOM, { url: 'https://example.com/hook' }),
    () => service.list(callerId, ROOM),
    () => service.remove(callerId, ROOM, HOOK),
    () => service.enable(callerId, ROOM, HOOK),
    () => service.deliveries(callerId, ROOM, HOOK),
  ];

  it('refuses every management call of a member who is not the owner, touching no webhook', async () => {
    const { service, webhooks } = setup();
    for (const call of calls(service, MEMBER))
      await expect(call()).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    for (const method of Object.values(webhooks)) expect(method).not.toHaveBeenCalled();
  });

  it('refuses them in a direct room, which has no owner', async () => {
    const { service } = setup({ kind: 'direct', ownerId: null });
    for (const call of calls(service, OWNER))
      await expect(call()).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
  });

  it('answers NOT_FOUND for an unknown room', async () => {
    const { service } = setup(null);
    for (const call of calls(service, OWNER))
      await expect(call()).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });

  it('answers NOT_FOUND when enabling a webhook the room does not have', async () => {
    const { service, webhooks } = setup();
    webhooks.enable.mockResolvedValueOnce(null);
    await expect(service.enable(OWNER, ROOM, HOOK)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});

describe('WebhooksService.create: the URL rule', () => {
  it.each([
    'https://example.com/hook',
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
  ])('accepts %s and shows the signing secret once', async (url) => {
    const { service, webhooks } = setup();
    const created = await service.create(OWNER, ROOM, { url });
    expect(created.secret).toEqual(expect.any(String));
    expect(webhooks.insert).toHaveBeenCalledWith(
      expect.objectContaining({ roomId: ROOM, url: new URL(url).toString(), createdBy: OWNER }),
    );
  });

  it.each(['http://example.com/hook', 'http://10.0.0.1/hook', 'http://127.example.com/hook'])(
    'refuses plain http to %s with a field message',
    async (url) => {
      const { service, webhooks } = setup();
      await expect(service.create(OWNER, ROOM, { url })).rejects.toMatchObject({
        code: ErrorCode.VALIDATION,
        fields: { url: [expect.stringContaining('url must use https')] },
      });
      expect(webhooks.insert).not.toHaveBeenCalled();
    },
  );

  it('refuses when there is no queue to deliver through', async () => {
    const { service, queue, webhooks } = setup();
    queue.available = false;
    await expect(service.create(OWNER, ROOM, { url: 'https://example.com/hook' })).rejects.toMatchObject({
      code: ErrorCode.UNAVAILABLE,
    });
    expect(webhooks.insert).not.toHaveBeenCalled();
  });
});

describe('WebhooksService delivery: disable after failures', () => {
  let fetchMock: jest.SpyInstance;
  beforeEach(() => {
    fetchMock = jest.spyOn(globalThis, 'fetch');
  });
  afterEach(() => fetchMock.mockRestore());

  it('logs a delivered attempt and resets the failure count', async () => {
    const { webhooks, deliver } = setup();
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await deliver();
    expect(webhooks.recordAttempt).toHaveBeenCalledWith(
      expect.objectContaining({
        outcome: 'delivered',
        responseStatus: 204,
        attempt: 1,
        instanceId: 'instance-a',
      }),
    );
    expect(webhooks.resetFailures).toHaveBeenCalledWith(HOOK);
    expect(webhooks.countFailure).not.toHaveBeenCalled();
  });

  it('counts a failure against the configured limit and throws so the queue retries', async () => {
    const { webhooks, deliver } = setup();
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 500 }));
    const thrown = await deliver(1).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(UnrecoverableError);
    expect(webhooks.recordAttempt).toHaveBeenCalledWith(
      expect.objectContaining({ outcome: 'failed', responseStatus: 500, attempt: 2 }),
    );
    expect(webhooks.countFailure).toHaveBeenCalledWith(HOOK, DISABLE_AFTER);
    expect(webhooks.resetFailures).not.toHaveBeenCalled();
  });

  it('stops retrying once the failure disabled the webhook', async () => {
    const { webhooks, deliver } = setup();
    fetchMock.mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
    webhooks.countFailure.mockResolvedValueOnce(true);
    await expect(deliver()).rejects.toBeInstanceOf(UnrecoverableError);
    expect(webhooks.recordAttempt).toHaveBeenCalledWith(
      expect.objectContaining({ outcome: 'failed', responseStatus: null, error: 'connect ECONNREFUSED' }),
    );
  });

  it('delivers nothing for a webhook disabled or removed meanwhile', async () => {
    const { webhooks, deliver } = setup();
    webhooks.target.mockResolvedValueOnce({ url: 'https://example.com/hook', secret: 's', disabled: true });
    await deliver();
    webhooks.target.mockResolvedValueOnce(null as never);
    await deliver();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(webhooks.recordAttempt).not.toHaveBeenCalled();
  });
});
