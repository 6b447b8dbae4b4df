import { RateLimiterMemory } from 'rate-limiter-flexible';

import { ErrorCode } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { LoginThrottle } from './login-throttle';

const settings = { maxFailures: 3, windowSeconds: 900 };

async function refusal(attempt: Promise<void>): Promise<AppError> {
  const error = await attempt.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('LoginThrottle', () => {
  let throttle: LoginThrottle;
  beforeEach(() => {
    throttle = LoginThrottle.create(settings, null);
  });

  it('allows maxFailures attempts, then refuses with RATE_LIMITED and the seconds left in the window', async () => {
    for (let i = 0; i < settings.maxFailures; i++) await throttle.attempt('alice');
    const error = await refusal(throttle.attempt('alice'));
    expect(error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.retryAfter).toBeLessThanOrEqual(settings.windowSeconds);
    expect(error.toBody()).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfter: error.retryAfter });
  });

  it('counts per account, case-insensitively, and never across accounts', async () => {
    for (let i = 0; i < settings.maxFailures; i++) await throttle.attempt(i % 2 ? 'Alice' : 'ALICE');
    await expect(throttle.attempt('alice')).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    await expect(throttle.attempt('bob')).resolves.toBeUndefined();
  });

  it('starts over after a successful login', async () => {
    for (let i = 0; i < settings.maxFailures; i++) await throttle.attempt('alice');
    await throttle.succeeded('Alice');
    for (let i = 0; i < settings.maxFailures; i++) await throttle.attempt('alice');
    await expect(throttle.attempt('alice')).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
  });

  it('holds under a burst of concurrent attempts: exactly maxFailures get through', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => throttle.attempt('carol')));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(settings.maxFailures);
  });

  it('passes on store failures other than a refusal', async () => {
    const broken = new LoginThrottle(
      Object.assign(new RateLimiterMemory({ points: 1, duration: 1 }), {
        consume: () => Promise.reject(new Error('store down')),
      }),
    );
    await expect(broken.attempt('alice')).rejects.toThrow('store down');
  });
});
