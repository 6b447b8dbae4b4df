import { ErrorCode, type MemberRole } from '@chat/contracts';

import { AppError } from '../common/app-error';
import {
  assertCanLeave,
  assertCanManage,
  assertCanModerate,
  assertCanSetRole,
  assertCanTransfer,
  assertOwnerRole,
} from './room-roles';

const codeOf = (check: () => void): string | null => {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
};

const roles: (MemberRole | null)[] = ['owner', 'admin', 'member', null];

describe('room roles', () => {
  it('lets the owner and admins manage the room, nobody else', () => {
    expect(roles.map((role) => codeOf(() => assertCanManage(role, 'rename')))).toEqual([
      null,
      null,
      ErrorCode.FORBIDDEN,
      ErrorCode.FORBIDDEN,
    ]);
  });

  it('keeps owner-only actions to the owner', () => {
    expect(roles.map((role) => codeOf(() => assertOwnerRole(role, 'delete the room')))).toEqual([
      null,
      ErrorCode.FORBIDDEN,
      ErrorCode.FORBIDDEN,
      ErrorCode.FORBIDDEN,
    ]);
  });

  it.each([
    // actor, target, allowed
    ['owner', 'admin', null],
    ['owner', 'member', null],
    ['owner', null, null],
    ['admin', 'member', null],
    ['admin', null, null],
    ['admin', 'admin', ErrorCode.FORBIDDEN],
    ['admin', 'owner', ErrorCode.FORBIDDEN],
    ['owner', 'owner', ErrorCode.FORBIDDEN],
    ['member', 'member', ErrorCode.FORBIDDEN],
    ['member', null, ErrorCode.FORBIDDEN],
    [null, 'member', ErrorCode.FORBIDDEN],
  ] as const)('moderation: %s on %s → %s', (actor, target, expected) => {
    expect(codeOf(() => assertCanModerate(actor, target, false, 'remove'))).toBe(expected);
  });

  it('refuses moderating oneself as invalid input', () => {
    expect(codeOf(() => assertCanModerate('owner', 'owner', true, 'ban'))).toBe(ErrorCode.VALIDATION);
    expect(codeOf(() => assertCanModerate('admin', 'admin', true, 'ban'))).toBe(ErrorCode.VALIDATION);
  });

  it('lets only the owner change roles, of another member', () => {
    expect(codeOf(() => assertCanSetRole('owner', 'member', false))).toBeNull();
    expect(codeOf(() => assertCanSetRole('owner', 'admin', false))).toBeNull();
    expect(codeOf(() => assertCanSetRole('admin', 'member', false))).toBe(ErrorCode.FORBIDDEN);
    expect(codeOf(() => assertCanSetRole('admin', 'owner', false))).toBe(ErrorCode.FORBIDDEN);
    expect(codeOf(() => assertCanSetRole('owner', 'owner', true))).toBe(ErrorCode.VALIDATION);
    expect(codeOf(() => assertCanSetRole('owner', null, false))).toBe(ErrorCode.NOT_FOUND);
  });

  it('lets only the owner hand the room over, to a member', () => {
    expect(codeOf(() => assertCanTransfer('owner', 'member', false))).toBeNull();
    expect(codeOf(() => assertCanTransfer('admin', 'owner', false))).toBe(ErrorCode.FORBIDDEN);
    expect(codeOf(() => assertCanTransfer('owner', null, false))).toBe(ErrorCode.NOT_FOUND);
    expect(codeOf(() => assertCanTransfer('owner', 'owner', true))).toBe(ErrorCode.VALIDATION);
  });

  it('keeps an owner with company from leaving, lets the last member go', () => {
    expect(codeOf(() => assertCanLeave('owner', 2))).toBe(ErrorCode.CONFLICT);
    expect(codeOf(() => assertCanLeave('owner', 1))).toBeNull();
    expect(codeOf(() => assertCanLeave('admin', 2))).toBeNull();
    expect(codeOf(() => assertCanLeave('member', 5))).toBeNull();
  });
});
