import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';

import { ErrorCode, Limits } from '@chat/contracts';

import { AddressLimiter } from '../common/address-limiter';
import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { RedisConnection } from '../redis/redis.module';
import { UserEntity } from '../users/entities/user.entity';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { SignInLimits } from './sign-in-limits';
import { TokenRevocations } from './token-revocations';

const STORED_HASH = '$argon2id$v=19$m=19456,t=2,p=1$stored';

function alice(): UserEntity {
  return Object.assign(new UserEntity(), {
    id: '00000000-0000-4000-8000-000000000001',
    username: 'alice',
    displayName: 'Alice',
    passwordHash: STORED_HASH,
    createdAt: new Date('2024-01-01T00:00:00Z'),
  });
}

/** AuthService with the database and argon2 replaced by fakes; the hasher records every call. */
function setup(options: { maxFailures?: number } = {}) {
  const users = {
    findForLogin: jest.fn(async (username: string) => (username.toLowerCase() === 'alice' ? alice() : null)),
  };
  const hasher = {
    verify: jest.fn(
      async (hash: string | null, password: string) => hash === STORED_HASH && password === 'right',
    ),
  };
  const throttle = LoginThrottle.create({ maxFailures: options.maxFailures ?? 5, windowSeconds: 900 }, null);
  const jwt = new JwtService({ secret: 'unit-test-secret-that-is-long-enough-000000' });
  const config = { get: () => 3600 } as unknown as ConfigService<AllConfig, true>;
  const revocations = new TokenRevocations({ client: null } as RedisConnection, config);
  const sessions = { start: jest.fn(async () => '00000000-0000-4000-8000-0000000000aa') };
  const unlimited = {
    login: AddressLimiter.create('login', 'logins', { points: 1000, windowSeconds: 60 }, null),
  };
  const limits = new SignInLimits(unlimited.login, unlimited.login);
  const service = new AuthService(
    users as never,
    hasher as never,
    throttle,
    jwt,
    config,
    revocations,
    sessions as never,
    limits,
  );
  return { service, users, hasher };
}

async function failure(attempt: Promise<unknown>): Promise<AppError> {
  const error = await attempt.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('AuthService.login', () => {
  it('signs in with the right password', async () => {
    const { service } = setup();
    await expect(service.login({ username: 'Alice', password: 'right' })).resolves.toMatchObject({
      user: { username: 'alice' },
    });
  });

  it('fails an unknown user and a wrong password alike, each after exactly one argon2 verification', async () => {
    const { service, hasher } = setup();

    const wrongPassword = await failure(service.login({ username: 'alice', password: 'wrong' }));
    expect(hasher.verify).toHaveBeenCalledTimes(1);
    expect(hasher.verify).toHaveBeenLastCalledWith(STORED_HASH, 'wrong');

    const unknownUser = await failure(service.login({ username: 'nobody', password: 'wrong' }));
    expect(hasher.verify).toHaveBeenCalledTimes(2);
    // null makes the hasher verify against its decoy hash: the same argon2 work as a real account.
    expect(hasher.verify).toHaveBeenLastCalledWith(null, 'wrong');

    const tooLong = await failure(
      service.login({ username: 'x'.repeat(Limits.USERNAME_MAX + 1), password: 'wrong' }),
    );
    expect(hasher.verify).toHaveBeenCalledTimes(3);
    expect(hasher.verify).toHaveBeenLastCalledWith(null, 'wrong');

    expect(wrongPassword.code).toBe(ErrorCode.UNAUTHORIZED);
    expect(unknownUser.toBody()).toEqual(wrongPassword.toBody());
    expect(tooLong.toBody()).toEqual(wrongPassword.toBody());
  });

  it('refuses further attempts on a throttled account without checking the password, even the right one', async () => {
    const { service, hasher } = setup({ maxFailures: 2 });
    await failure(service.login({ username: 'alice', password: 'wrong' }));
    await failure(service.login({ username: 'alice', password: 'wrong' }));
    hasher.verify.mockClear();

    const refused = await failure(service.login({ username: 'alice', password: 'right' }));
    expect(refused.code).toBe(ErrorCode.RATE_LIMITED);
    expect(hasher.verify).not.toHaveBeenCalled();
  });

  it('throttles unknown users exactly as real ones, so a 429 does not reveal an account', async () => {
    const { service } = setup({ maxFailures: 1 });
    await failure(service.login({ username: 'alice', password: 'wrong' }));
    await failure(service.login({ username: 'nobody', password: 'wrong' }));
    const real = await failure(service.login({ username: 'alice', password: 'wrong' }));
    const unknown = await failure(service.login({ username: 'nobody', password: 'wrong' }));
    expect(real.code).toBe(ErrorCode.RATE_LIMITED);
    // Equal but for the seconds left, which depend on when each window started.
    const withoutSeconds = (error: AppError) => ({
      ...error.toBody(),
      message: error.message.replace(/\d+/g, 'N'),
      retryAfter: 'N',
    });
    expect(unknown.code).toBe(ErrorCode.RATE_LIMITED);
    expect(withoutSeconds(unknown)).toEqual(withoutSeconds(real));
  });

  it('clears the count on success', async () => {
    const { service } = setup({ maxFailures: 2 });
    await failure(service.login({ username: 'alice', password: 'wrong' }));
    await service.login({ username: 'alice', password: 'right' });
    await failure(service.login({ username: 'alice', password: 'wrong' }));
    const second = await failure(service.login({ username: 'alice', password: 'wrong' }));
    expect(second.code).toBe(ErrorCode.UNAUTHORIZED);
  });
});
