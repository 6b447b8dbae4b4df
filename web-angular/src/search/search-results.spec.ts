import type { Message, SearchHit } from '@chat/contracts';

import { groupByRoom } from './search-results';

const hit = (roomId: string, seq: number, rank: number): SearchHit => ({
  message: { id: `${roomId}-${seq}`, roomId, seq } as Message,
  snippet: [{ text: `m${seq}`, match: true }],
  rank,
});

describe('groupByRoom', () => {
  it('orders rooms by their best hit and keeps rank order inside each room', () => {
    const hits = [hit('b', 3, 0.9), hit('a', 1, 0.8), hit('b', 7, 0.5), hit('a', 2, 0.1)];
    const groups = groupByRoom(hits, (id) => `Room ${id}`);
    expect(groups.map((group) => [group.title, group.hits.map((h) => h.message.seq)])).toEqual([
      ['Room b', [3, 7]],
      ['Room a', [1, 2]],
    ]);
  });

  it('is empty without hits', () => {
    expect(groupByRoom([], () => 'x')).toEqual([]);
  });
});
