import { lastValueFrom, of, throwError } from 'rxjs';

import type { DrainService } from '../realtime/drain.service';
import { DrainInterceptor } from './message-send.interceptors';

describe('DrainInterceptor', () => {
  it('refuses with UNAVAILABLE while draining, without running the handler', async () => {
    const handle = jest.fn(() => of('ack'));
    const interceptor = new DrainInterceptor({ draining: true } as unknown as DrainService);
    await expect(lastValueFrom(interceptor.intercept(null, { handle }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(handle).not.toHaveBeenCalled();
  });

  it('runs the handler as tracked work, so shutdown waits for its ack, and passes failures on', async () => {
    const tracked: string[] = [];
    const drain = {
      draining: false,
      track: async <T>(work: () => Promise<T>) => {
        tracked.push('start');
        const result = await work();
        tracked.push('end');
        return result;
      },
    };
    const interceptor = new DrainInterceptor<string>(drain as unknown as DrainService);
    await expect(lastValueFrom(interceptor.intercept(null, { handle: () => of('ack') }))).resolves.toBe(
      'ack',
    );
    expect(tracked).toEqual(['start', 'end']);
    await expect(
      lastValueFrom(interceptor.intercept(null, { handle: () => throwError(() => new Error('refused')) })),
    ).rejects.toThrow('refused');
  });
});
