import { Injectable } from '@nestjs/common';

import { ErrorCode, Limits, SearchResults } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { toMessage } from '../database/rows';
import { MessagesService } from '../messages/messages.service';
import { RoomsRepository } from '../rooms/rooms.repository';
import { SearchQueryDto } from './dto/search.query';
import { SearchBudget } from './search-budget';
import { decodeCursor, encodeCursor, searchKey } from './search-cursor';
import { SearchRepository } from './search.repository';
import { headlineOptions, newMarkers, snippetParts } from './snippet';

@Injectable()
export class SearchService {
  constructor(
    private readonly repository: SearchRepository,
    private readonly rooms: RoomsRepository,
    private readonly budget: SearchBudget,
    private readonly messages: MessagesService,
  ) {}

  /**
   * Messages of the rooms the user is a member of now (the query joins memberships, so leaving or a
   * ban hides a room's history at once), plus people and public rooms by name on the first page.
   */
  async search(user: AuthUser, query: SearchQueryDto): Promise<SearchResults> {
    await this.budget.consume(user.id);
    const from = query.from === undefined ? null : new Date(query.from).toISOString();
    const before = query.before === undefined ? null : new Date(query.before).toISOString();
    if (from !== null && before !== null && from >= before) {
      throw AppError.validation({ before: ['before must be later than from'] });
    }
    const key = searchKey([query.q, query.roomId, from ?? undefined, before ?? undefined]);
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, key);
    if (query.roomId !== undefined) await this.assertMember(query.roomId, user.id);

    const limit = query.limit ?? Limits.SEARCH_PAGE_DEFAULT;
    const markers = newMarkers();
    const [rows, people, rooms] = await Promise.all([
      // One row more than asked tells whether another page exists.
      this.repository.messages({
        userId: user.id,
        q: query.q,
        roomId: query.roomId ?? null,
        from,
        before,
        after,
        limit: limit + 1,
        headlineOptions: headlineOptions(markers),
      }),
      after ? [] : this.repository.people(user.id, query.q),
      after ? [] : this.repository.publicRooms(query.q),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    // As history shows them: with their reactions and, for a thread reply, its root's counters.
    const messages = await this.messages.decorate(page.map(toMessage), user.id);
    return {
      hits: page.map((row, i) => ({
        message: messages[i],
        snippet: snippetParts(row.headline, markers),
        rank: row.rank,
      })),
      nextCursor:
        rows.length > limit
          ? encodeCursor({ rank: last.rank, createdAt: last.created_key, id: last.id }, key)
          : null,
      people,
      rooms,
    };
  }

  /** The same answer whether the room does not exist or the caller is not in it: search reveals no room. */
  private async assertMember(roomId: string, userId: string): Promise<void> {
    const access = await this.rooms.accessOf(roomId, userId);
    if (!access?.role) {
      throw new AppError(ErrorCode.FORBIDDEN, 'You are not a member of this room', {
        roomId: ['You are not a member of this room'],
      });
    }
  }
}
