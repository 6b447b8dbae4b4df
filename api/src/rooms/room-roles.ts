import { ErrorCode, type MemberRole } from '@chat/contracts';

import { AppError } from '../common/app-error';

/*
 * Who may do what in a group room. Pure functions of the roles involved, so the rules are unit-tested
 * on their own (room-roles.spec.ts); the service reads the roles under the room's lock and calls these.
 * Direct rooms have neither owner nor admins: every caller here is refused there by role alone.
 */

type Role = MemberRole | null;

/** Rename, set the topic, add members, lift bans: the owner and admins. */
export function assertCanManage(actor: Role, action: string): void {
  if (actor !== 'owner' && actor !== 'admin')
    throw AppError.forbidden(`Only the owner and admins can ${action}`);
}

/** Promote, demote, hand over, archive, delete: the owner alone. */
export function assertOwnerRole(actor: Role, action: string): void {
  if (actor !== 'owner') throw AppError.forbidden(`Only the room owner can ${action}`);
}

/**
 * Remove or ban someone: the owner may act on anyone but themselves; an admin only on plain members
 * (never the owner, never another admin). `target` is null for a non-member (a ban can keep out
 * someone who is not in the room).
 */
export function assertCanModerate(actor: Role, target: Role, isSelf: boolean, action: string): void {
  assertCanManage(actor, action);
  if (isSelf) throw AppError.validation({ userId: [`You cannot ${action} yourself`] });
  if (target === 'owner') throw AppError.forbidden(`Nobody can ${action} the room owner`);
  if (target === 'admin' && actor !== 'owner') {
    throw AppError.forbidden(`Only the room owner can ${action} an admin`);
  }
}

/** Promote a member to admin or demote an admin: the owner, on a member of the room other than themselves. */
export function assertCanSetRole(actor: Role, target: Role, isSelf: boolean): void {
  assertOwnerRole(actor, 'change roles');
  if (isSelf)
    throw AppError.validation({ userId: ['The owner keeps their role: hand the room over instead'] });
  if (target === null) throw AppError.notFound('Member');
}

/** Hand the room over: the owner, to another member of the room. */
export function assertCanTransfer(actor: Role, target: Role, isSelf: boolean): void {
  assertOwnerRole(actor, 'hand the room over');
  if (isSelf) throw AppError.validation({ userId: ['You already own this room'] });
  if (target === null) throw AppError.notFound('Member');
}

/**
 * Leaving: anyone but an owner who still has company — they must hand the room over first (a room
 * whose last member leaves is archived instead).
 */
export function assertCanLeave(role: Role, memberCount: number): void {
  if (role === 'owner' && memberCount > 1) {
    throw AppError.conflict('Hand the room over to another member before leaving it');
  }
}

/** Archived rooms are read-only: every write is refused with ROOM_ARCHIVED. */
export function assertWritable(room: { archivedAt: Date | string | null }): void {
  if (room.archivedAt) throw new AppError(ErrorCode.ROOM_ARCHIVED, 'This room is archived: it is read-only');
}
