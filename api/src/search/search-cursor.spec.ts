import { AppError } from '../common/app-error';
import { decodeCursor, encodeCursor, searchKey } from './search-cursor';

describe('search cursors', () => {
  const key = searchKey(['release', undefined, undefined, undefined]);
  const position = {
    rank: 0.0607927,
    createdAt: '2026-12-05T09:20:01.123456Z',
    id: '0b6c1f9e-2a57-4c1e-9a51-8f3f4c2d1e0a',
  };

  const fieldOf = (cursor: string, withKey = key): string[] | undefined => {
    try {
      decodeCursor(cursor, withKey);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).fields?.cursor;
    }
    throw new Error('accepted');
  };
  const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('round-trips the position, rank and microseconds exactly', () => {
    expect(decodeCursor(encodeCursor(position, key), key)).toEqual(position);
  });

  it('refuses a cursor of another search', () => {
    const other = searchKey(['release', 'room', undefined, undefined]);
    expect(other).not.toBe(key);
    expect(fieldOf(encodeCursor(position, key), other)).toEqual([
      'cursor belongs to a search with other words or filters',
    ]);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['an object', raw({ rank: 1 })],
    ['a rank a real cannot hold', raw([1e300, position.createdAt, position.id, key])],
    ['a tiny rank', raw([1e-300, position.createdAt, position.id, key])],
    ['a negative rank', raw([-1, position.createdAt, position.id, key])],
    ['February 30', raw([0.1, '2026-02-30T00:00:00.000000Z', position.id, key])],
    ['year 0', raw([0.1, '0000-01-01T00:00:00.000000Z', position.id, key])],
    ['hour 24', raw([0.1, '2026-01-01T24:00:00.000000Z', position.id, key])],
    ['SQL in the timestamp', raw([0.1, "2026-01-01'; DROP TABLE messages; --", position.id, key])],
    ['a non-UUID id', raw([0.1, position.createdAt, 'x', key])],
  ])('refuses %s', (_, cursor) => {
    expect(fieldOf(cursor)).toEqual(['cursor is not a cursor of this search']);
  });
});
