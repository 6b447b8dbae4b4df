import type { UserRef } from '@chat/contracts';

/**
 * A person as text: display name and handle, "Bob Builder (@bob)". Display names are not unique
 * (anyone can call themselves "Bob Builder"); the handle is, so it is shown wherever a name is.
 */
export function userLabel(user: Pick<UserRef, 'username' | 'displayName'>): string {
  return `${user.displayName || user.username} (@${user.username})`;
}
