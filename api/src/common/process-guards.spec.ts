import { chatMetrics } from '../metrics/chat-metrics';
import { installProcessGuards } from './process-guards';

describe('installProcessGuards', () => {
  let uninstall: () => void;
  const shutdown = jest.fn();

  beforeEach(() => {
    shutdown.mockClear();
    uninstall = installProcessGuards(shutdown);
  });
  afterEach(() => uninstall());

  const rejections = async () => (await chatMetrics.unhandledRejections.get()).values[0]?.value ?? 0;

  it('counts an unhandled rejection and keeps serving', async () => {
    const before = await rejections();
    process.emit('unhandledRejection', new Error('a library rejected'), Promise.resolve());
    process.emit('unhandledRejection', 'not even an Error', Promise.resolve());
    expect(await rejections()).toBe(before + 2);
    expect(shutdown).not.toHaveBeenCalled();
  });

  it('shuts down with exit code 1 on an uncaught exception', () => {
    (process.emit as (event: string, ...args: unknown[]) => boolean)(
      'uncaughtException',
      new Error('state may be broken'),
      'uncaughtException',
    );
    expect(shutdown).toHaveBeenCalledWith(1);
  });

  it('removes its handlers when asked', () => {
    const count = process.listenerCount('uncaughtException');
    uninstall();
    expect(process.listenerCount('uncaughtException')).toBe(count - 1);
    uninstall = installProcessGuards(shutdown);
  });
});
