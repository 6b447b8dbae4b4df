import type { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';

import type { MemberRole } from '@chat/contracts';

import type { AllConfig } from '../config/config.type';
import type { PresenceService } from '../presence/presence.service';
import type { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import type { UsersRepository } from '../users/users.repository';
import type { RoomEntity } from './entities/room.entity';
import type { MembershipsRepository, StoredMember } from './memberships.repository';
import type { RoomAdminRepository, SystemEvent } from './room-admin.repository';
import { RoomAdminService } from './room-admin.service';
import type { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';

const OWNER = 'owner';
const db = {} as EntityManager;

/** Rooms, memberships, bans and users in memory, behind the repositories' methods the service calls. */
class FakeStore {
  rooms = new Map<
    string,
    Pick<RoomEntity, 'id' | 'kind' | 'visibility' | 'capacity' | 'ownerId' | 'name' | 'topic' | 'archivedAt'>
  >();
  members = new Map<string, Map<string, MemberRole>>();
  system: (SystemEvent & { roomId: string })[] = [];
  bans = new Set<string>();
  users = new Set(['owner', 'alice', 'bob', 'carol']);

  room(id: string, changes: Partial<RoomEntity> = {}): void {
    this.rooms.set(id, {
      id,
      kind: 'group',
      visibility: 'public',
      capacity: null,
      ownerId: OWNER,
      name: id,
      topic: null,
      archivedAt: null,
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
    archive: async (_db: EntityManager, roomId: string) =>
      void (this.rooms.get(roomId)!.archivedAt = new Date()),
  };

  readonly adminRepo = {
    update: async (_db: EntityManager, roomId: string, change: { name?: string; topic?: string | null }) => {
      const room = this.rooms.get(roomId)!;
      if (change.name !== undefined) room.name = change.name;
      if (change.topic !== undefined) room.topic = change.topic;
    },
    setRole: async (_db: EntityManager, roomId: string, userId: string, role: MemberRole) =>
      void this.members.get(roomId)!.set(userId, role),
    setOwner: async (_db: EntityManager, roomId: string, ownerId: string) =>
      void (this.rooms.get(roomId)!.ownerId = ownerId),
    setArchived: async (_db: EntityManager, roomId: string, archived: boolean) =>
      void (this.rooms.get(roomId)!.archivedAt = archived ? new Date() : null),
    memberIds: async (_db: EntityManager, roomId: string) => [...this.members.get(roomId)!.keys()],
    delete: async (_db: EntityManager, roomId: string) => void this.rooms.delete(roomId),
    appendSystemMessage: async (_db: EntityManager, roomId: string, event: SystemEvent) => {
      this.system.push({ ...event, roomId });
      return {
        id: 'm',
        room_id: roomId,
        seq: this.system.length,
        sender_id: event.actorId,
        sender_username: event.actorId,
        sender_display_name: event.actorId,
        body: '',
        client_msg_id: 'system:x',
        instance_id: 'test',
        created_at: new Date(),
        edited_at: null,
        deleted_at: null,
        system: event,
      };
    },
  };

  readonly memberships = {
    add: async (_db: EntityManager, roomId: string, userId: string, role: MemberRole) =>
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
  const broadcaster = {
    unsubscribeUser: jest.fn(),
    toUser: jest.fn(),
    toRoom: jest.fn(),
    closeRoom: jest.fn(),
  };
  const presence = { onlineAmong: async () => new Set<string>() };
  const service = new RoomsService(
    store.roomsRepo as unknown as RoomsRepository,
    store.memberships as unknown as MembershipsRepository,
    store.usersRepo as unknown as UsersRepository,
    presence as unknown as PresenceService,
    broadcaster as unknown as RealtimeBroadcaster,
  );
  const admin = new RoomAdminService(
    store.roomsRepo as unknown as RoomsRepository,
    store.memberships as unknown as MembershipsRepository,
    store.adminRepo as unknown as RoomAdminRepository,
    store.usersRepo as unknown as UsersRepository,
    broadcaster as unknown as RealtimeBroadcaster,
    { get: () => 'test-instance' } as unknown as ConfigService<AllConfig, true>,
  );
  return { store, broadcaster, service, admin };
}

describe('RoomsService', () => {
  describe('owner-and-admin actions', () => {
    type Services = ReturnType<typeof setup>;
    it.each([
      ['add members', (s: Services, caller: string) => s.service.addMember(caller, 'r', 'bob')],
      ['ban', (s: Services, caller: string) => s.admin.ban(caller, 'r', 'bob')],
      ['lift bans', (s: Services, caller: string) => s.admin.unban(caller, 'r', 'bob')],
      ['remove', (s: Services, caller: string) => s.admin.remove(caller, 'r', 'bob')],
      ['rename', (s: Services, caller: string) => s.admin.update(caller, 'r', { name: 'new' })],
    ])('only the owner or an admin of a group room may %s', async (_what, act) => {
      const services = setup();
      const { store } = services;
      store.room('r');
      await store.memberships.add(db, 'r', 'alice', 'member');
      await store.memberships.add(db, 'r', 'bob', 'member');
      await expect(act(services, 'alice')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(act(services, 'nobody')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await store.memberships.add(db, 'r', 'alice', 'admin');
      await expect(act(services, 'alice')).resolves.not.toThrow();
      store.room('r', { kind: 'direct', ownerId: null });
      await expect(act(services, OWNER)).rejects.toMatchObject({ code: 'FORBIDDEN' });
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
      const { store, broadcaster, service, admin } = setup();
      store.room('r');
      await service.join('bob', 'r');
      await admin.ban(OWNER, 'r', 'bob');

      expect(store.members.get('r')!.has('bob')).toBe(false);
      expect(broadcaster.unsubscribeUser).toHaveBeenCalledWith('bob', 'r');
      expect(broadcaster.toUser).toHaveBeenCalledWith('bob', 'room:removed', {
        roomId: 'r',
        reason: 'banned',
      });
      await expect(service.join('bob', 'r')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(service.addMember(OWNER, 'r', 'bob')).rejects.toMatchObject({ code: 'FORBIDDEN' });

      await admin.unban(OWNER, 'r', 'bob');
      await expect(service.join('bob', 'r')).resolves.toBeDefined();
    });

    it('does not let the owner ban themselves', async () => {
      const { store, admin } = setup();
      store.room('r');
      await expect(admin.ban(OWNER, 'r', OWNER)).rejects.toMatchObject({ code: 'VALIDATION' });
    });
  });

  describe('administration', () => {
    async function roomWithAdmin() {
      const services = setup();
      services.store.room('r');
      await services.store.memberships.add(db, 'r', 'alice', 'admin');
      await services.store.memberships.add(db, 'r', 'bob', 'member');
      return services;
    }

    it('keeps an admin from removing or banning the owner or another admin', async () => {
      const { store, admin } = await roomWithAdmin();
      await store.memberships.add(db, 'r', 'carol', 'admin');
      for (const target of [OWNER, 'carol']) {
        await expect(admin.remove('alice', 'r', target)).rejects.toMatchObject({ code: 'FORBIDDEN' });
        await expect(admin.ban('alice', 'r', target)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      }
      await expect(admin.setRole('alice', 'r', 'carol', 'member')).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(store.members.get('r')!.get('carol')).toBe('admin');
      expect(store.system).toEqual([]);
    });

    it('writes one system message per change, and none for a change that changes nothing', async () => {
      const { store, admin, broadcaster } = await roomWithAdmin();
      await admin.setRole(OWNER, 'r', 'bob', 'admin');
      await admin.setRole(OWNER, 'r', 'bob', 'admin');
      await admin.update('alice', 'r', { topic: 'plans' });
      await admin.update('alice', 'r', { topic: 'plans' });
      await admin.remove(OWNER, 'r', 'bob');
      expect(store.system.map((event) => [event.kind, event.actorId, event.targetId])).toEqual([
        ['member_promoted', OWNER, 'bob'],
        ['topic_changed', 'alice', undefined],
        ['member_removed', OWNER, 'bob'],
      ]);
      expect(broadcaster.toUser).toHaveBeenCalledWith('bob', 'room:removed', {
        roomId: 'r',
        reason: 'removed',
      });
      expect(broadcaster.unsubscribeUser).toHaveBeenCalledWith('bob', 'r');
      expect(broadcaster.toRoom).toHaveBeenCalledWith('r', 'room:updated', expect.anything());
    });

    it('hands the room over: the new owner owns it, the old one stays as an admin and may then leave', async () => {
      const { store, admin, service } = await roomWithAdmin();
      await expect(service.leave(OWNER, 'r')).rejects.toMatchObject({ code: 'CONFLICT' });
      await admin.transfer(OWNER, 'r', 'bob');
      expect(store.rooms.get('r')!.ownerId).toBe('bob');
      expect(store.members.get('r')!.get('bob')).toBe('owner');
      expect(store.members.get('r')!.get(OWNER)).toBe('admin');
      await expect(admin.transfer(OWNER, 'r', 'alice')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await service.leave(OWNER, 'r');
      expect(store.members.get('r')!.has(OWNER)).toBe(false);
    });

    it('archives the room its last member leaves', async () => {
      const { store, service } = setup();
      store.room('r');
      await service.leave(OWNER, 'r');
      expect(store.rooms.get('r')!.archivedAt).not.toBeNull();
    });

    it('refuses administrative writes to an archived room, but lets the owner unarchive and delete it', async () => {
      const { store, admin, service, broadcaster } = await roomWithAdmin();
      await expect(admin.setArchived('alice', 'r', true)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await admin.setArchived(OWNER, 'r', true);
      await expect(admin.update('alice', 'r', { name: 'x' })).rejects.toMatchObject({
        code: 'ROOM_ARCHIVED',
      });
      await expect(admin.remove(OWNER, 'r', 'bob')).rejects.toMatchObject({ code: 'ROOM_ARCHIVED' });
      await expect(service.addMember(OWNER, 'r', 'carol')).rejects.toMatchObject({ code: 'ROOM_ARCHIVED' });
      await admin.setArchived(OWNER, 'r', false);
      await admin.update('alice', 'r', { name: 'x' });
      await expect(admin.delete('alice', 'r')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await admin.delete(OWNER, 'r');
      expect(store.rooms.has('r')).toBe(false);
      expect(broadcaster.closeRoom).toHaveBeenCalledWith('r');
      for (const userId of [OWNER, 'alice', 'bob']) {
        expect(broadcaster.toUser).toHaveBeenCalledWith(userId, 'room:removed', {
          roomId: 'r',
          reason: 'deleted',
        });
      }
    });
  });
});
