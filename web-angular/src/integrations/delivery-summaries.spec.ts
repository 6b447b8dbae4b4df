import { WebhookDelivery } from '@chat/contracts';

import { summarizeDeliveries } from './delivery-summaries';

const attempt = (
  deliveryId: string,
  n: number,
  outcome: 'delivered' | 'failed',
  status: number | null,
  error: string | null = null,
): WebhookDelivery => ({
  deliveryId,
  event: 'message.created',
  attempt: n,
  outcome,
  responseStatus: status,
  error,
  instanceId: 'api-1',
  createdAt: `2026-12-05T10:00:0${n}.000Z`,
});

describe('summarizeDeliveries', () => {
  it('keeps one line per delivery, newest first, with the latest outcome, the attempt count and the last error', () => {
    const log = [
      attempt('d2', 1, 'delivered', 200),
      attempt('d1', 3, 'delivered', 204),
      attempt('d1', 2, 'failed', 500, 'HTTP 500'),
      attempt('d1', 1, 'failed', null, 'connect ECONNREFUSED'),
    ];
    expect(summarizeDeliveries(log)).toEqual([
      {
        deliveryId: 'd2',
        event: 'message.created',
        outcome: 'delivered',
        responseStatus: 200,
        attempts: 1,
        lastError: null,
        lastAttemptAt: '2026-12-05T10:00:01.000Z',
      },
      {
        deliveryId: 'd1',
        event: 'message.created',
        outcome: 'delivered',
        responseStatus: 204,
        attempts: 3,
        lastError: 'HTTP 500',
        lastAttemptAt: '2026-12-05T10:00:03.000Z',
      },
    ]);
  });

  it('shows a delivery still failing with its latest error', () => {
    const [summary] = summarizeDeliveries([
      attempt('d1', 2, 'failed', null, 'timeout'),
      attempt('d1', 1, 'failed', 503, 'HTTP 503'),
    ]);
    expect(summary).toMatchObject({
      outcome: 'failed',
      responseStatus: null,
      attempts: 2,
      lastError: 'timeout',
    });
  });

  it('is empty for an empty log', () => {
    expect(summarizeDeliveries([])).toEqual([]);
  });
});
