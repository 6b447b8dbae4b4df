import { Limits } from '@chat/contracts';

import { ReactionAggregate, summarize } from './reaction-summaries';

const users = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);
const aggregate = (changes: Partial<ReactionAggregate>): ReactionAggregate => ({
  message_id: 'm1',
  emoji: '👍',
  count: 1,
  user_ids: ['u0'],
  mine: false,
  ...changes,
});

describe('summarize', () => {
  it('groups by message, keeping the order the emoji were first used', () => {
    const summaries = summarize(
      [
        aggregate({ emoji: '👍', count: 2, user_ids: ['a', 'b'] }),
        aggregate({ message_id: 'm2', emoji: '🎉' }),
        aggregate({ emoji: '❤️', count: 1, user_ids: ['c'] }),
      ],
      null,
    );
    expect(summaries.get('m1')).toEqual([
      { emoji: '👍', count: 2, userIds: ['a', 'b'] },
      { emoji: '❤️', count: 1, userIds: ['c'] },
    ]);
    expect(summaries.get('m2')).toEqual([{ emoji: '🎉', count: 1, userIds: ['u0'] }]);
  });

  it(`caps userIds at ${Limits.REACTION_USERS_MAX} and keeps count exact`, () => {
    const [reaction] = summarize(
      [aggregate({ count: 1000, user_ids: users(Limits.REACTION_USERS_MAX + 5) })],
      null,
    ).get('m1')!;
    expect(reaction.count).toBe(1000);
    expect(reaction.userIds).toEqual(users(Limits.REACTION_USERS_MAX));
  });

  it('puts a viewer beyond the cap in place of the last listed id', () => {
    const [reaction] = summarize(
      [aggregate({ count: 1000, user_ids: users(Limits.REACTION_USERS_MAX), mine: true })],
      'me',
    ).get('m1')!;
    expect(reaction.userIds).toHaveLength(Limits.REACTION_USERS_MAX);
    expect(reaction.userIds.at(-1)).toBe('me');
    expect(reaction.userIds[0]).toBe('u0');
  });

  it('leaves the list alone when the viewer is already in it or did not react', () => {
    const listed = users(Limits.REACTION_USERS_MAX);
    expect(summarize([aggregate({ user_ids: listed, mine: true })], 'u3').get('m1')![0].userIds).toEqual(
      listed,
    );
    expect(summarize([aggregate({ user_ids: listed, mine: false })], 'me').get('m1')![0].userIds).toEqual(
      listed,
    );
  });

  it('answers no messages with an empty map', () => {
    expect(summarize([], 'me').size).toBe(0);
  });
});
