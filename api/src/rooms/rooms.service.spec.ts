import type { EntityManager } from 'typeorm';

import type { PresenceService } from '../presence/presence.service';
import type { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import type { UsersRepository } from '../users/users.repository';
import type { RoomEntity } from './entities/room.entity';
import type { MembershipsRepository, StoredMember } from './memberships.repository';
import type { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';

const OWNER = 'owner';
const db = {} as EntityManager;

/** Rooms, memberships, bans and users in memory, behind the repositories' methods the service calls. */
class FakeStore {
  rooms = new Map<string, Pick<RoomEntity, 'id' | 'kind' | 'visibility' | 'capacity' | 'ownerId'>>();
  members = new Map<string, Map<string, 'owner' | 'member'>>();
  bans = new Set<string>();
  users = new Set(['owner', 'alice', 'bob', 'carol']);

  room(id: string, changes: Partial<RoomEntity> = {}): void {
    this.rooms.set(id, {
      id,
      kind: 'group',
      visibility: 'public',
      capacity: null,
      ownerId: OWNER,
      ...changes,
    });
    this.members.set(id, new Map([[OWNER, 'owner']]));
  }

  readonly roomsRepo = {
    manager: db,
    transaction: <T>(work: (db: EntityManager) => Promise<T>) => work(db),
    lock: async (_db: EntityManager, id: string) => this.rooms.get(id) ?? null,
    findEntity: async (id: string) => this.rooms.get(id) ?? null,
    findById: async (id: string) => (this.rooms.has(id) ? { id } : null),
    accessOf: async (roomId: string, userId: string) => {
      const room = this.rooms.get(roomId);
      return room ? { ...room, role: this.members.get(roomId)!.get(userId) ?? null } : null;
    },
    isBanned: async (_db: EntityManager, roomId: string, userId: string) =>
      this.bans.has(`${roomId}:${userId}`),
    ban: async (_db: EntityManager, roomId: string, userId: string) =>
      void this.bans.add(`${roomId}:${userId}`),
    unban: async (roomId: string, userId: string) => void this.bans.delete(`${roomId}:${userId}`),
  };

  readonly memberships = {
    add: async (_db: EntityManager, roomId: string, userId: string, role: 'owner' | 'member') =>
      void this.members.get(roomId)!.set(userId, role),
    remove: async (roomId: string, userId: string) => void this.members.get(roomId)!.delete(userId),
    roleOf: async (_db: EntityManager, roomId: string, userId: string) =>
      this.members.get(roomId)!.get(userId) ?? null,
    count: async (_db: EntityManager, roomId: string) => this.members.get(roomId)!.size,
    list: async (_db: EntityManager, roomId: string, which: { onlyUserId?: string } = {}) =>
      [...this.members.get(roomId)!]
        .filter(([id]) => !which.onlyUserId || id === which.onlyUserId)
        .map(([id, role]): StoredMember => ({
          user: { id, username: id, displayName: id },
          role,
          lastReadSeq: 0,
          joinedAt: '2026-01-01T00:00:00.000Z',
        })),
  };

  readonly usersRepo = { exists: async (id: string) => this.users.has(id) };
}

function setup() {
  const store = new FakeStore();
  const broadcaster = { unsubscribeUser: jest.fn(), toUser: jest.fn() };
  const presence = { onlineAmong: async () => new Set<string>() };
  const service = new RoomsService(
    store.roomsRepo as unknown as RoomsRepository,
    store.memberships as unknown as MembershipsRepository,
    store.usersRepo as unknown as UsersRepository,
    presence as unknown as PresenceService,
    broadcaster as unknown as RealtimeBroadcaster,
  );
  return { store, broadcaster, service };
}

describe('RoomsService', () => {
  describe('owner-only actions', () => {
    it.each([
      ['add members', (s: RoomsService, caller: string) => s.addMember(caller, 'r', 'bob')],
      ['ban', (s: RoomsService, caller: string) => s.ban(caller, 'r', 'bob')],
      ['lift bans', (s: RoomsService, caller: string) => s.unban(caller, 'r', 'bob')],
    ])('only the owner of a group room may %s', async (_what, act) => {
      const { store, service } = setup();
      store.room('r');
      await store.memberships.add(db, 'r', 'alice', 'member');
      await expect(act(service, 'alice')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      store.room('r', { kind: 'direct', ownerId: null });
      await expect(act(service, OWNER)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(act(service, OWNER.replace('owner', 'nobody'))).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });

    it('answers NOT_FOUND for an unknown room or user', async () => {
      const { store, service } = setup();
      await expect(service.addMember(OWNER, 'missing', 'bob')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      store.room('r');
      await expect(service.addMember(OWNER, 'r', 'ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('joining', () => {
    it('lets anyone join a public group room once, and refuses private rooms', async () => {
      const { store, service } = setup();
      store.room('pub');
      store.room('priv', { visibility: 'private' });
      await service.join('alice', 'pub');
      await service.join('alice', 'pub');
      expect(store.members.get('pub')!.get('alice')).toBe('member');
      await expect(service.join('alice', 'priv')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it('admits up to the capacity, counting the owner, then answers ROOM_FULL', async () => {
      const { store, service } = setup();
      store.room('pair', { capacity: 2 });
      await service.join('alice', 'pair');
      await expect(service.join('bob', 'pair')).rejects.toMatchObject({ code: 'ROOM_FULL' });
      await expect(service.addMember(OWNER, 'pair', 'carol')).rejects.toMatchObject({ code: 'ROOM_FULL' });
    });

    it('refuses a member of a direct conversation who tries to leave it', async () => {
      const { store, service } = setup();
      store.room('dm', { kind: 'direct', visibility: 'private', ownerId: null });
      await store.memberships.add(db, 'dm', 'alice', 'member');
      await expect(service.leave('alice', 'dm')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('membership', () => {
    it('tells an unknown room (NOT_FOUND) from a room the user is not in (FORBIDDEN)', async () => {
      const { store, service } = setup();
      store.room('r');
      await expect(service.assertMember('missing', 'alice')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.assertMember('r', 'alice')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(service.members('alice', 'r')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(service.assertMember('r', OWNER)).resolves.toMatchObject({ role: 'owner' });
    });
  });

  describe('bans', () => {
    it('removes the member, keeps them out, and stops their sockets receiving the room', async () => {
      const { store, broadcaster, service } = setup();
      store.room('r');
      await service.join('bob', 'r');
      await service.ban(OWNER, 'r', 'bob');

      expect(store.members.get('r')!.has('bob')).toBe(false);
      expect(broadcaster.unsubscribeUser).toHaveBeenCalledWith('bob', 'r');
      expect(broadcaster.toUser).toHaveBeenCalledWith('bob', 'room:removed', {
        roomId: 'r',
        reason: 'banned',
      });
      await expect(service.join('bob', 'r')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(service.addMember(OWNER, 'r', 'bob')).rejects.toMatchObject({ code: 'FORBIDDEN' });

      await service.unban(OWNER, 'r', 'bob');
      await expect(service.join('bob', 'r')).resolves.toBeDefined();
    });

    it('does not let the owner ban themselves', async () => {
      const { store, service } = setup();
      store.room('r');
      await expect(service.ban(OWNER, 'r', OWNER)).rejects.toMatchObject({ code: 'VALIDATION' });
    });
  });
});
