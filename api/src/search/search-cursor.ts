import { createHash } from 'node:crypto';

import { AppError } from '../common/app-error';

/** Where the previous page ended, in the search's order (rank, then newest, then id). */
export interface SearchPosition {
  rank: number;
  /** `created_at` in UTC with microseconds as Postgres printed it (a JavaScript Date would lose them). */
  createdAt: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** ts_rank's range (it never answers below 1e-20); outside it a `real` parameter would be a database error. */
const RANK_MIN = 1e-30;
const RANK_MAX = 1e30;

/** A real calendar instant: month 13, February 30, 24:00 or year 0 would make Postgres fail, a 500. */
const isInstant = (text: string): boolean => {
  const time = Date.parse(text);
  return (
    Number.isFinite(time) &&
    !text.startsWith('0000') &&
    new Date(time).toISOString().slice(0, 19) === text.slice(0, 19)
  );
};

const isRank = (value: unknown): value is number =>
  typeof value === 'number' && (value === 0 || (value >= RANK_MIN && value <= RANK_MAX));

/** What a cursor is valid for: the same words and filters (a cursor of another search would skip hits). */
export function searchKey(parts: (string | undefined)[]): string {
  return createHash('sha256')
    .update(JSON.stringify(parts.map((part) => part ?? null)))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeCursor(position: SearchPosition, key: string): string {
  return Buffer.from(JSON.stringify([position.rank, position.createdAt, position.id, key])).toString(
    'base64url',
  );
}

/** The position in a cursor of this search; anything else is a VALIDATION error on `cursor`. */
export function decodeCursor(cursor: string, key: string): SearchPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor is not a cursor of this search');
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 4 ||
    !isRank(decoded[0]) ||
    typeof decoded[1] !== 'string' ||
    !TIMESTAMP.test(decoded[1]) ||
    !isInstant(decoded[1]) ||
    typeof decoded[2] !== 'string' ||
    !UUID.test(decoded[2])
  ) {
    throw invalid('cursor is not a cursor of this search');
  }
  if (decoded[3] !== key) throw invalid('cursor belongs to a search with other words or filters');
  return { rank: decoded[0], createdAt: decoded[1], id: decoded[2] };
}

const invalid = (message: string) => AppError.validation({ cursor: [message] });
