import { parseDurationSeconds } from './duration';

describe('parseDurationSeconds', () => {
  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['15m', 900],
    ['12h', 43200],
    ['7d', 604800],
  ])('%s → %i s', (value, seconds) => {
    expect(parseDurationSeconds(value)).toBe(seconds);
  });

  it('refuses anything else', () => {
    expect(() => parseDurationSeconds('1w')).toThrow('Not a duration');
  });
});
