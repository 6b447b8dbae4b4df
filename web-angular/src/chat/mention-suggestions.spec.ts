import { insertMention, mentionAt, suggestMembers } from './mention-suggestions';

const people = [
  { id: 'a', username: 'alice', displayName: 'Alice Liddell' },
  { id: 'b', username: 'bob', displayName: 'Bob Builder' },
  { id: 'c', username: 'carol', displayName: 'Al Carol' },
  { id: 'm', username: 'me', displayName: 'Me Myself' },
];

describe('mentionAt', () => {
  it('finds the @name being typed at the caret', () => {
    expect(mentionAt('hi @al', 6)).toEqual({ start: 3, query: 'al' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('hi @al and more', 6)).toEqual({ start: 3, query: 'al' });
  });

  it('ignores e-mail addresses and a caret past the name', () => {
    expect(mentionAt('mail me@al', 10)).toBeNull();
    expect(mentionAt('hi @al ', 7)).toBeNull();
    expect(mentionAt('no mention', 10)).toBeNull();
  });
});

describe('suggestMembers', () => {
  it('puts username matches first, then display-name words, never the user themself', () => {
    expect(suggestMembers(people, 'al', 'm').map((user) => user.username)).toEqual(['alice', 'carol']);
    expect(suggestMembers(people, 'BUI', 'm').map((user) => user.username)).toEqual(['bob']);
    expect(suggestMembers(people, 'me', 'm')).toEqual([]);
    expect(suggestMembers(people, '', 'm')).toHaveLength(3);
  });
});

describe('insertMention', () => {
  it('replaces what was typed with the full handle and a space, caret after it', () => {
    expect(insertMention('hi @al, ok', { start: 3, query: 'al' }, 'alice')).toEqual({
      text: 'hi @alice , ok',
      caret: 10,
    });
  });
});
