import type { SearchHit } from '@chat/contracts';

export interface RoomHits {
  roomId: string;
  title: string;
  hits: SearchHit[];
}

/**
 * Hits grouped by room, rooms in the order of their best hit and hits in rank order within a room
 * (the server's order is best first). A later page's hits join the groups already shown.
 */
export function groupByRoom(hits: readonly SearchHit[], titleOf: (roomId: string) => string): RoomHits[] {
  const groups = new Map<string, RoomHits>();
  for (const hit of hits) {
    const roomId = hit.message.roomId;
    let group = groups.get(roomId);
    if (!group) {
      group = { roomId, title: titleOf(roomId), hits: [] };
      groups.set(roomId, group);
    }
    group.hits.push(hit);
  }
  return [...groups.values()];
}
