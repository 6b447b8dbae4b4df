import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Runs inside the transaction that deletes the room, before the DELETE, with the room's lock held. */
export type RoomDeletingHook = (roomId: string, db: EntityManager) => Promise<void>;

/**
 * Work that must happen when a room is deleted, beyond the rows that go by ON DELETE CASCADE (e.g.
 * stored attachment bytes), so the rooms feature does not depend on who keeps such things. A hook
 * that throws fails the deletion, which can then be repeated.
 */
@Injectable()
export class RoomHooks {
  private readonly deleting: RoomDeletingHook[] = [];

  onDeleting(hook: RoomDeletingHook): void {
    this.deleting.push(hook);
  }

  async runDeleting(roomId: string, db: EntityManager): Promise<void> {
    for (const hook of this.deleting) await hook(roomId, db);
  }
}
