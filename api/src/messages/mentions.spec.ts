import { Limits } from '@chat/contracts';

import { mentionedUsernames } from './mentions';

describe('mentionedUsernames', () => {
  it('finds @names at the start, after spaces and punctuation, lower-cased and distinct', () => {
    expect(mentionedUsernames('@Alice hi (@bob), cc @carol_1 and @ALICE again')).toEqual([
      'alice',
      'bob',
      'carol_1',
    ]);
  });

  it('keeps dots and dashes inside a name but not at its end', () => {
    expect(mentionedUsernames('thanks @j.doe. and @ann-marie-!')).toEqual(['j.doe', 'ann-marie']);
  });

  it('ignores e-mail addresses and names glued to a word', () => {
    expect(mentionedUsernames('mail bob@example.com or x@bob')).toEqual([]);
  });

  it('ignores names inside inline code and code blocks', () => {
    expect(mentionedUsernames('run `npm i @types/node` then\n```\n@dave\n```\n@erin')).toEqual(['erin']);
  });

  it('treats an unterminated code block as code to the end', () => {
    expect(mentionedUsernames('@frank ```\n@gina')).toEqual(['frank']);
  });

  it('skips names too short or too long to be usernames', () => {
    expect(mentionedUsernames(`@ab @${'x'.repeat(Limits.USERNAME_MAX + 1)} @abc`)).toEqual(['abc']);
  });

  it(`stops at ${Limits.MENTIONS_MAX} distinct names`, () => {
    const body = Array.from({ length: Limits.MENTIONS_MAX + 10 }, (_, i) => `@user${i}`).join(' ');
    const names = mentionedUsernames(body);
    expect(names).toHaveLength(Limits.MENTIONS_MAX);
    expect(names[0]).toBe('user0');
  });

  it('answers a lone @ or an empty body with nothing', () => {
    expect(mentionedUsernames('@ @@ @')).toEqual([]);
    expect(mentionedUsernames('')).toEqual([]);
  });
});
