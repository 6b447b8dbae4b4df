import { AppError } from '../common/app-error';
import type { RoomEntity } from './entities/room.entity';

/** Owner-only actions: only the owner of a group room (direct rooms have none). */
export function assertOwner(
  room: Pick<RoomEntity, 'kind' | 'ownerId'>,
  callerId: string,
  message: string,
): void {
  if (room.kind !== 'group' || room.ownerId !== callerId) throw AppError.forbidden(message);
}
