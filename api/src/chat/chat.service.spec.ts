import { ConfigService } from '@nestjs/config';

import { channelOfRoom } from '@chat/contracts';

import type { AuthService } from '../auth/auth.service';
import type { PresenceService } from '../presence/presence.service';
import type { ChatSocket } from '../realtime/socket-types';
import type { RoomsService } from '../rooms/rooms.service';
import { ChatService } from './chat.service';
import type { ClientEventBudgets } from './client-event-budgets';
import type { SocketAccess } from './socket-access';

const ROOM = '00000000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-000000000002';

function fakeSocket(): ChatSocket {
  const rooms = new Set<string>(['socket-id']);
  return {
    rooms,
    data: { user: { id: USER, username: 'bob', displayName: 'Bob' }, tokenId: null, expiresAtMs: 0 },
    join: (channel: string) => void rooms.add(channel),
    leave: (channel: string) => void rooms.delete(channel),
  } as unknown as ChatSocket;
}

function chatService(rooms: Partial<RoomsService>): ChatService {
  const config = {
    get: (key: string) => (key === 'limits' ? { roomsPerSocket: 5 } : 'instance'),
  } as unknown as ConfigService;
  return new ChatService(
    rooms as RoomsService,
    { onlineAmong: async () => new Set<string>() } as unknown as PresenceService,
    {} as AuthService,
    { forgetRoom: () => undefined } as unknown as SocketAccess,
    {} as ClientEventBudgets,
    config as never,
  );
}

describe('ChatService.join', () => {
  it('leaves the room and refuses when a ban committed while the join was being checked', async () => {
    const socket = fakeSocket();
    const service = chatService({
      // The join's own check passed…
      subscribe: async () => undefined,
      // …and by the time the socket is subscribed, the ban has removed the membership.
      subscribedView: async () => ({ room: { id: ROOM, lastSeq: 0 } as never, member: false, memberIds: [] }),
    });

    await expect(service.join(socket, ROOM)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(socket.rooms.has(channelOfRoom(ROOM))).toBe(false);
  });

  it('subscribes a member', async () => {
    const socket = fakeSocket();
    const service = chatService({
      subscribe: async () => undefined,
      subscribedView: async () => ({
        room: { id: ROOM, lastSeq: 3 } as never,
        member: true,
        memberIds: [USER],
      }),
    });

    await expect(service.join(socket, ROOM)).resolves.toMatchObject({ lastSeq: 3 });
    expect(socket.rooms.has(channelOfRoom(ROOM))).toBe(true);
  });
});
