import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Limits, Room, UserRef } from '@chat/contracts';

import { escapeLike } from '../database/escape-like';
import { MESSAGE_COLUMNS, MessageRow, ROOM_COLUMNS, RoomRow, toRoom } from '../database/rows';
import { SearchPosition } from './search-cursor';

export interface MessageSearch {
  userId: string;
  q: string;
  roomId: string | null;
  from: string | null;
  before: string | null;
  after: SearchPosition | null;
  limit: number;
  headlineOptions: string;
}

export type SearchHitRow = MessageRow & { rank: number; created_key: string; headline: string };

/*
 * websearch_to_tsquery never fails on user text (unbalanced quotes, stray operators, `:*`, `&|!`
 * are read as words or dropped), unlike to_tsquery. The configuration matches the generated column's.
 */
const QUERY = `websearch_to_tsquery('english'::regconfig, $2)`;

/** Full-text and name search. Membership is part of every message query, never checked apart from it. */
@Injectable()
export class SearchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A page of matching messages in rooms the user is a member of now, best first: rank, then newest,
   * then id. The snippet (ts_headline, the costly part) is made for the page's rows only.
   */
  messages(search: MessageSearch): Promise<SearchHitRow[]> {
    const { after } = search;
    return this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS}, page.rank,
         to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
         ts_headline('english'::regconfig, m.body, ${QUERY}, $10) AS headline
       FROM (
         SELECT hit.id, hit.rank, hit.created_at FROM (
           SELECT m.id, m.created_at, ts_rank(m.search_vector, ${QUERY}) AS rank
           FROM messages m
           JOIN memberships mem ON mem.room_id = m.room_id AND mem.user_id = $1
           WHERE m.search_vector @@ ${QUERY}
             AND m.deleted_at IS NULL
             AND ($3::uuid IS NULL OR m.room_id = $3)
             AND ($4::timestamptz IS NULL OR m.created_at >= $4)
             AND ($5::timestamptz IS NULL OR m.created_at < $5)
         ) hit
         WHERE $6::real IS NULL OR (hit.rank, hit.created_at, hit.id) < ($6::real, $7::timestamptz, $8::uuid)
         ORDER BY hit.rank DESC, hit.created_at DESC, hit.id DESC
         LIMIT $9
       ) page
       JOIN messages m ON m.id = page.id
       JOIN users u ON u.id = m.sender_id
       ORDER BY page.rank DESC, page.created_at DESC, page.id DESC`,
      [
        search.userId,
        search.q,
        search.roomId,
        search.from,
        search.before,
        after?.rank ?? null,
        after?.createdAt ?? null,
        after?.id ?? null,
        search.limit,
        search.headlineOptions,
      ],
    );
  }

  /** People whose username or display name contains `text` (trigram indexes), exact and prefix matches first. */
  async people(exceptId: string, text: string): Promise<UserRef[]> {
    const rows: { id: string; username: string; display_name: string; is_bot: boolean }[] =
      await this.dataSource.query(
        `SELECT u.id, u.username, u.display_name, u.is_bot FROM users u
         WHERE u.id <> $1 AND u.deleted_at IS NULL AND (u.username ILIKE $2 OR u.display_name ILIKE $2)
         ORDER BY lower(u.username) = lower($3) DESC, u.username ILIKE $4 DESC, lower(u.username)
         LIMIT ${Limits.SEARCH_NAMES_MAX}`,
        [exceptId, `%${escapeLike(text)}%`, text, `${escapeLike(text)}%`],
      );
    return rows.map((row) => ({
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      ...(row.is_bot && { isBot: true as const }),
    }));
  }

  /** Public group rooms whose name contains `text` (a partial trigram index), prefix matches first. */
  async publicRooms(text: string): Promise<Room[]> {
    const rows: RoomRow[] = await this.dataSource.query(
      `SELECT ${ROOM_COLUMNS} FROM rooms r
       WHERE r.visibility = 'public' AND r.kind = 'group' AND r.archived_at IS NULL AND r.name ILIKE $1
       ORDER BY r.name ILIKE $2 DESC, r.created_at DESC
       LIMIT ${Limits.SEARCH_NAMES_MAX}`,
      [`%${escapeLike(text)}%`, `${escapeLike(text)}%`],
    );
    return rows.map(toRoom);
  }
}
