import { USERS, message, myRoom } from '../testing/messages';
import { defaultNotifyLevel, notificationFor } from './notification-rules';

const group = myRoom('Lobby', { notify: 'mentions' });
const direct = myRoom('dm', { kind: 'direct', peer: USERS.bob, notify: 'all' });
const fromBob = message(7, { body: 'hey @alice look' });

function decide(changes: Partial<Parameters<typeof notificationFor>[0]>) {
  return notificationFor({
    message: fromBob,
    reason: 'mention',
    room: group,
    myUserId: 'alice',
    tabHidden: true,
    ...changes,
  });
}

describe('notificationFor', () => {
  it('notifies a mention in a hidden tab, naming who and where, once per message', () => {
    expect(decide({})).toEqual({ title: 'Bob mentioned you in Lobby', body: 'hey @alice look', tag: 'm7' });
  });

  it('stays quiet in a visible tab, for the user’s own and for deleted messages', () => {
    expect(decide({ tabHidden: false })).toBeNull();
    expect(decide({ myUserId: 'bob' })).toBeNull();
    expect(decide({ message: { ...fromBob, deletedAt: '2026-01-01T00:00:00Z' } })).toBeNull();
  });

  it('follows the room’s preference: none mutes, mentions lets only mentions and directs through', () => {
    expect(decide({ room: { ...group, notify: 'none' } })).toBeNull();
    expect(decide({ reason: 'message' })).toBeNull();
    expect(decide({ reason: 'message', room: { ...group, notify: 'all' } })?.title).toBe('Bob in Lobby');
    expect(decide({ reason: 'direct', room: direct })?.title).toBe('Bob');
    expect(decide({ reason: 'direct', room: { ...direct, notify: 'none' } })).toBeNull();
  });

  it('cuts a long body', () => {
    const long = decide({ message: { ...fromBob, body: 'x'.repeat(500) } })!;
    expect(long.body).toHaveLength(140);
    expect(long.body.endsWith('…')).toBe(true);
  });
});

describe('defaultNotifyLevel', () => {
  it('is everything for a direct conversation and mentions for a group', () => {
    expect(defaultNotifyLevel('direct')).toBe('all');
    expect(defaultNotifyLevel('group')).toBe('mentions');
  });
});
