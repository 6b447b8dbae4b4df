import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';

import type { AllConfig } from '../config/config.type';
import { chatMetrics } from '../metrics/chat-metrics';
import { SlowConsumerWatchdog } from './slow-consumer-watchdog';

const LIMIT = 1_000;
let ids = 0;

/** An engine.io connection as the watchdog sees it: queued packets, and ws's bufferedAmount for websocket. */
function connection(transport: 'websocket' | 'polling', queued: string[], bufferedAmount = 0) {
  const ws = { bufferedAmount, terminate: jest.fn() };
  return {
    id: `${transport}-${++ids}`,
    remoteAddress: '127.0.0.1',
    writeBuffer: queued.map((data) => ({ data })),
    transport: { name: transport, socket: transport === 'websocket' ? ws : undefined },
    close: jest.fn(),
    ws,
  };
}

describe('SlowConsumerWatchdog', () => {
  let watchdog: SlowConsumerWatchdog;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const config = { get: () => LIMIT } as unknown as ConfigService<AllConfig, true>;
    watchdog = new SlowConsumerWatchdog(config);
  });
  afterEach(() => {
    watchdog.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function watch(...connections: ReturnType<typeof connection>[]) {
    const clients = Object.fromEntries(connections.map((c) => [c.id, c]));
    watchdog.watch({ engine: { clients } } as never);
    jest.advanceTimersByTime(1_000);
  }

  it('closes, discarding its backlog, a websocket connection whose queued packets and ws buffer pass the limit', () => {
    const counted = jest.spyOn(chatMetrics.slowConsumerDisconnects, 'inc');
    const stalled = connection('websocket', ['x'.repeat(600)], 600);
    const reading = connection('websocket', ['x'.repeat(300)], 600);
    watch(stalled, reading);

    expect(stalled.close).toHaveBeenCalledWith(true);
    expect(stalled.ws.terminate).toHaveBeenCalled();
    expect(reading.close).not.toHaveBeenCalled();
    expect(counted).toHaveBeenCalledTimes(1);
  });

  it('counts what polling holds in the write buffer', () => {
    const polling = connection('polling', ['x'.repeat(400), 'y'.repeat(400), 'z'.repeat(400)]);
    watch(polling);
    expect(polling.close).toHaveBeenCalledWith(true);
  });

  it('checks again on every tick until shut down', () => {
    const growing = connection('websocket', [], 0);
    watch(growing);
    expect(growing.close).not.toHaveBeenCalled();
    growing.ws.bufferedAmount = LIMIT + 1;
    jest.advanceTimersByTime(1_000);
    expect(growing.close).toHaveBeenCalledTimes(1);

    watchdog.onApplicationShutdown();
    jest.advanceTimersByTime(5_000);
    expect(growing.close).toHaveBeenCalledTimes(1);
  });
});
