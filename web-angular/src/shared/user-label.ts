import type { UserRef } from '@chat/contracts';

/**
 * A person as text: display name and handle, "Bob Builder (@bob)". Display names are not unique
 * (anyone can call themselves "Bob Builder"); the handle is, so it is shown wherever a name is.
 */
export function userLabel(user: Pick<UserRef, 'username' | 'displayName' | 'deleted'>): string {
  // A deleted account's username is a placeholder, not a handle anyone has.
  if (user.deleted) return 'Deleted user';
  return `${user.displayName || user.username} (@${user.username})`;
}
