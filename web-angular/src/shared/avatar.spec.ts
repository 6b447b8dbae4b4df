import { avatarColor, initials } from './avatar';

describe('avatarColor', () => {
  it('is the same for the same id, and spreads different ids over the hues', () => {
    expect(avatarColor('5b7c7d2e-0000-4000-8000-000000000001')).toBe(
      avatarColor('5b7c7d2e-0000-4000-8000-000000000001'),
    );
    const hues = new Set(
      Array.from({ length: 50 }, (_, index) => avatarColor(`user-${index}`).match(/^hsl\((\d+) /)![1]),
    );
    expect(hues.size).toBeGreaterThan(35);
  });

  it('keeps lightness fixed so white initials stay readable', () => {
    expect(avatarColor('anyone')).toMatch(/^hsl\(\d{1,3} 55% 38%\)$/);
  });
});

describe('initials', () => {
  it.each([
    ['Alice Smith', 'AS'],
    ['Jean Claude van Damme', 'JD'],
    ['bob', 'B'],
    ['  émile  zola ', 'ÉZ'],
    ['😀 party', '😀P'],
    ['   ', '?'],
  ])('%s → %s', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});
