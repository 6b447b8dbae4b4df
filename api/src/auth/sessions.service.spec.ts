import { ErrorCode } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { SessionsService } from './sessions.service';

const ALICE = '00000000-0000-4000-8000-000000000001';
const THIS_SESSION = '00000000-0000-4000-8000-0000000000a1';
const OTHER_SESSION = '00000000-0000-4000-8000-0000000000a2';

/** SessionsService with its collaborators faked; `calls` records every step in order. */
function setup() {
  const calls: string[] = [];
  const sessions = {
    list: jest.fn(async () => []),
    end: jest.fn(async (_userId: string, sessionId: string) => {
      calls.push(`end ${sessionId}`);
    }),
    endAll: jest.fn(async () => {
      calls.push('endAll');
      return [THIS_SESSION, OTHER_SESSION];
    }),
  };
  const revocations = {
    revoke: jest.fn(async (tokenId: string, untilMs: number) => {
      calls.push(`revoke ${tokenId} until ${untilMs}`);
    }),
  };
  const users = {
    setSuspended: jest.fn(async (userId: string, suspended: boolean) => {
      calls.push(`suspended ${userId} ${suspended}`);
    }),
  };
  const broadcaster = {
    endSessionSockets: jest.fn((sessionId: string, ended: { reason: string }) => {
      calls.push(`sockets of session ${sessionId}: ${ended.reason}`);
    }),
    endTokenSessions: jest.fn((tokenId: string, ended: { reason: string }) => {
      calls.push(`sockets of token ${tokenId}: ${ended.reason}`);
    }),
    endUserSessions: jest.fn((userId: string, ended: { reason: string }) => {
      calls.push(`sockets of user ${userId}: ${ended.reason}`);
    }),
  };
  const fakes = [sessions, revocations, users, broadcaster];
  const service = new SessionsService(...(fakes as unknown as ConstructorParameters<typeof SessionsService>));
  return { service, calls, sessions, users };
}

describe('SessionsService.logout', () => {
  it("ends the token's session, then its sockets", async () => {
    const { service, calls } = setup();
    await service.logout({ sub: ALICE, username: 'alice', sid: THIS_SESSION, jti: 't1' });
    expect(calls).toEqual([`end ${THIS_SESSION}`, `sockets of session ${THIS_SESSION}: logged_out`]);
  });

  it('still ends the sockets of a session another device ended just before', async () => {
    const { service, calls, sessions } = setup();
    sessions.end.mockRejectedValueOnce(AppError.notFound('Session'));
    await service.logout({ sub: ALICE, username: 'alice', sid: THIS_SESSION });
    expect(calls).toEqual([`sockets of session ${THIS_SESSION}: logged_out`]);
  });

  it('fails without touching sockets when the session could not be ended', async () => {
    const { service, calls, sessions } = setup();
    sessions.end.mockRejectedValueOnce(new Error('redis down'));
    await expect(service.logout({ sub: ALICE, username: 'alice', sid: THIS_SESSION })).rejects.toThrow(
      'redis down',
    );
    expect(calls).toEqual([]);
  });

  it('revokes a token without a session alone, until it expires, then ends the sockets opened with it', async () => {
    const { service, calls } = setup();
    await service.logout({ sub: ALICE, username: 'alice', jti: 't1', exp: 2_000_000_000 });
    expect(calls).toEqual(['revoke t1 until 2000000000000', 'sockets of token t1: logged_out']);
  });
});

describe('SessionsService.logoutAll', () => {
  it("ends every session of the user, then each one's sockets once", async () => {
    const { service, calls } = setup();
    await service.logoutAll(ALICE, { sub: ALICE, username: 'alice', sid: THIS_SESSION, jti: 't1' });
    expect(calls).toEqual([
      'endAll',
      `sockets of session ${THIS_SESSION}: logged_out`,
      `sockets of session ${OTHER_SESSION}: logged_out`,
    ]);
  });

  it("revokes the caller's token as well when it has no session", async () => {
    const { service, calls } = setup();
    await service.logoutAll(ALICE, { sub: ALICE, username: 'alice', jti: 't1', exp: 2_000_000_000 });
    expect(calls).toEqual([
      'endAll',
      'revoke t1 until 2000000000000',
      'sockets of token t1: logged_out',
      `sockets of session ${THIS_SESSION}: logged_out`,
      `sockets of session ${OTHER_SESSION}: logged_out`,
    ]);
  });
});

describe('SessionsService.end', () => {
  it('ends the session, then its sockets', async () => {
    const { service, calls } = setup();
    await service.end(ALICE, OTHER_SESSION);
    expect(calls).toEqual([`end ${OTHER_SESSION}`, `sockets of session ${OTHER_SESSION}: logged_out`]);
  });

  it('answers NOT_FOUND for a session that is not open and ends no socket', async () => {
    const { service, calls, sessions } = setup();
    sessions.end.mockRejectedValueOnce(AppError.notFound('Session'));
    await expect(service.end(ALICE, OTHER_SESSION)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect(calls).toEqual([]);
  });
});

describe('SessionsService.suspend', () => {
  it('marks the user suspended, then ends every socket of theirs', async () => {
    const { service, calls } = setup();
    await service.suspend(ALICE);
    expect(calls).toEqual([`suspended ${ALICE} true`, `sockets of user ${ALICE}: suspended`]);
  });

  it('answers NOT_FOUND for an unknown user and ends no socket', async () => {
    const { service, calls, users } = setup();
    users.setSuspended.mockRejectedValueOnce(AppError.notFound('User'));
    await expect(service.suspend(ALICE)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect(calls).toEqual([]);
  });
});
