import { isSingleEmoji } from './emoji.validator';

describe('isSingleEmoji', () => {
  it.each(['👍', '❤️', '❤', '🎉', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', '1️⃣', '🏳️‍🌈'])('accepts %s', (emoji) => {
    expect(isSingleEmoji(emoji)).toBe(true);
  });

  it.each([
    ['two emoji', '👍👍'],
    ['a word', 'lol'],
    ['a shortcode', ':+1:'],
    ['an emoji with text', '👍 yes'],
    ['a letter', 'a'],
    ['a digit without keycap', '1'],
    ['a space', ' '],
    ['empty', ''],
    ['a NUL', '👍\u0000'],
    ['a lone surrogate', '\ud83d'],
    ['too long', '👨‍👩‍👧‍👦'.repeat(3)],
    ['not a string', 42],
    ['an object', { emoji: '👍' }],
  ])('refuses %s', (_, value) => {
    expect(isSingleEmoji(value)).toBe(false);
  });
});
