import type { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import type { MembershipsRepository } from '../rooms/memberships.repository';
import { MemoryPresenceStore } from './memory-presence.store';
import { PresenceService } from './presence.service';

function setup() {
  const broadcaster = { toRooms: jest.fn() };
  const memberships = {
    roomIdsOfUsers: jest.fn(async (userIds: readonly string[]) => userIds.map(() => ['r1', 'r2'])),
  };
  const service = new PresenceService(
    new MemoryPresenceStore('api-1'),
    broadcaster as unknown as RealtimeBroadcaster,
    memberships as unknown as MembershipsRepository,
  );
  return { service, broadcaster, memberships };
}

describe('PresenceService', () => {
  it("announces a user's first connection and last disconnection to the rooms they belong to", async () => {
    const { service, broadcaster, memberships } = setup();
    await service.connected('alice');
    await service.connected('alice');
    expect(broadcaster.toRooms).toHaveBeenCalledTimes(1);
    expect(broadcaster.toRooms).toHaveBeenLastCalledWith(['r1', 'r2'], 'presence', {
      userId: 'alice',
      online: true,
    });
    expect(memberships.roomIdsOfUsers).toHaveBeenCalledWith(['alice']);

    await service.disconnected('alice');
    expect(broadcaster.toRooms).toHaveBeenCalledTimes(1);
    await service.disconnected('alice');
    expect(broadcaster.toRooms).toHaveBeenLastCalledWith(['r1', 'r2'], 'presence', {
      userId: 'alice',
      online: false,
    });
    await expect(service.onlineAmong(['alice'])).resolves.toEqual(new Set());
  });
});
