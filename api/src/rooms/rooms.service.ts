import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import {
  ErrorCode,
  Limits,
  Member,
  MemberPage,
  MembersQuery,
  MyRoom,
  NotificationPreference,
  NotifyLevel,
  Room,
} from '@chat/contracts';

import { AppError } from '../common/app-error';
import { PresenceService } from '../presence/presence.service';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { UsersRepository } from '../users/users.repository';
import { CreateRoomDto } from './dto/create-room.dto';
import { RoomEntity } from './entities/room.entity';
import { MembershipsRepository } from './memberships.repository';
import { assertCanLeave, assertCanManage, assertWritable } from './room-roles';
import { RoomAccess, RoomsRepository } from './rooms.repository';

/** Rooms, memberships and who may see what. Every rule about room access lives here. */
@Injectable()
export class RoomsService {
  constructor(
    private readonly roomsRepo: RoomsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
    private readonly presence: PresenceService,
    private readonly broadcaster: RealtimeBroadcaster,
  ) {}

  create(ownerId: string, dto: CreateRoomDto): Promise<Room> {
    return this.roomsRepo.transaction(async (db) => {
      const id = await this.roomsRepo.insertGroup(db, {
        name: dto.name.trim(),
        visibility: dto.visibility,
        capacity: dto.capacity ?? null,
        ownerId,
      });
      await this.memberships.add(db, id, ownerId, 'owner');
      return this.getRoom(id, db);
    });
  }

  async getRoom(roomId: string, db?: EntityManager): Promise<Room> {
    const room = await this.roomsRepo.findById(roomId, db);
    if (!room) throw AppError.notFound('Room');
    return room;
  }

  /** The caller's rooms, most recently active first, with unread counts and the last message. */
  myRooms(userId: string): Promise<MyRoom[]> {
    return this.roomsRepo.listForMember(userId);
  }

  publicRooms(search: string | undefined): Promise<Room[]> {
    return this.roomsRepo.listPublic(search);
  }

  /** Joins a public group room (idempotent). Private and direct rooms only take members added by their owner. */
  join(userId: string, roomId: string): Promise<Room> {
    return this.roomsRepo.transaction(async (db) => {
      const room = await this.lockRoom(db, roomId);
      if (await this.memberships.roleOf(db, roomId, userId)) return this.getRoom(roomId, db);
      if (room.kind !== 'group' || room.visibility !== 'public') {
        throw AppError.forbidden('This room is private: ask its owner to add you');
      }
      assertWritable(room);
      if (await this.roomsRepo.isBanned(db, roomId, userId))
        throw AppError.forbidden('You are banned from this room');
      await this.insertMember(db, room, userId);
      return this.getRoom(roomId, db);
    });
  }

  /**
   * Under the room's lock, so two last members leaving at once cannot both see company: the owner
   * must hand the room over first unless alone, and the room the last member leaves is archived.
   */
  async leave(userId: string, roomId: string): Promise<void> {
    const remaining = await this.roomsRepo.transaction(async (db) => {
      const room = await this.lockRoom(db, roomId);
      const role = await this.memberships.roleOf(db, roomId, userId);
      if (!role) throw AppError.forbidden('You are not a member of this room');
      if (room.kind === 'direct') throw AppError.forbidden('Direct conversations cannot be left');
      const count = await this.memberships.count(db, roomId);
      assertCanLeave(role, count);
      await this.memberships.remove(roomId, userId, db);
      if (count === 1) await this.roomsRepo.archive(db, roomId);
      return count - 1;
    });
    this.broadcaster.unsubscribeUser(userId, roomId);
    if (remaining > 0) this.broadcaster.toRoom(roomId, 'room:updated', { room: await this.getRoom(roomId) });
  }

  /** The owner or an admin adds someone to their group room (the way into a private room). Idempotent. */
  async addMember(callerId: string, roomId: string, userId: string): Promise<Member> {
    const { member, added } = await this.roomsRepo.transaction(async (db) => {
      const room = await this.lockRoom(db, roomId);
      if (room.kind !== 'group') throw AppError.forbidden('Direct conversations have no other members');
      assertCanManage(await this.memberships.roleOf(db, roomId, callerId), 'add members');
      assertWritable(room);
      if (!(await this.users.exists(userId, db))) throw AppError.notFound('User');
      if (await this.roomsRepo.isBanned(db, roomId, userId)) {
        throw AppError.forbidden('This user is banned from the room: lift the ban first');
      }
      const isNew = !(await this.memberships.roleOf(db, roomId, userId));
      if (isNew) await this.insertMember(db, room, userId);
      return {
        member: (await this.withPresence(await this.memberships.list(db, roomId, { onlyUserId: userId })))[0],
        added: isNew,
      };
    });
    // After the commit: a client that reacts by listing its rooms must find this one.
    if (added) {
      const room = await this.getRoom(roomId);
      this.broadcaster.toUser(userId, 'room:added', { room });
      this.broadcaster.toRoom(roomId, 'room:updated', { room });
    }
    return member;
  }

  /**
   * One page of a room's members, by user id: the primary key's order, so each page is an index
   * range however large the room is.
   */
  async members(callerId: string, roomId: string, query: MembersQuery = {}): Promise<MemberPage> {
    await this.assertMember(roomId, callerId);
    const limit = query.limit ?? Limits.MEMBERS_PAGE_DEFAULT;
    // One row more than asked tells whether another page exists.
    const rows = await this.memberships.list(this.roomsRepo.manager, roomId, {
      after: query.after,
      limit: limit + 1,
    });
    const members = await this.withPresence(rows.slice(0, limit));
    return { members, nextCursor: rows.length > limit ? members[members.length - 1].user.id : null };
  }

  /** The one direct room of two users, created on first ask; the same room whoever asks. */
  async direct(callerId: string, userId: string): Promise<Room> {
    if (callerId === userId)
      throw AppError.validation({ userId: ['Cannot start a conversation with yourself'] });
    const directKey = [callerId, userId].sort().join(':');
    const { room, created } = await this.roomsRepo.transaction(async (db) => {
      const users = await this.users.findMany([callerId, userId], db);
      if (users.length !== 2 || users.some((user) => user.deletedAt)) throw AppError.notFound('User');
      const name = users.map((user) => user.username).join(' & ');
      const id = await this.roomsRepo.insertDirect(db, name, directKey);
      if (id) {
        await this.memberships.add(db, id, callerId, 'member');
        await this.memberships.add(db, id, userId, 'member');
      }
      return { room: await this.roomsRepo.findByDirectKey(directKey, db), created: id !== null };
    });
    if (created) this.broadcaster.toUser(userId, 'room:added', { room });
    return room;
  }

  /** Of these rooms, the ones the user is a member of (to re-check subscriptions a session brings back). */
  memberOfAmong(userId: string, roomIds: string[]): Promise<Set<string>> {
    return this.memberships.roomIdsAmong(userId, roomIds);
  }

  /**
   * Authorizes a socket's subscription to a room's live events: members of any room, and anyone
   * for a public group room (which makes them a member, as the REST join does).
   */
  async subscribe(userId: string, roomId: string): Promise<void> {
    const access = await this.roomsRepo.accessOf(roomId, userId);
    if (!access) throw AppError.notFound('Room');
    if (!access.role) await this.join(userId, roomId);
  }

  /** A member's notification preference for the room; what clients notify for is theirs to decide. */
  async setNotificationPreference(
    userId: string,
    roomId: string,
    level: NotifyLevel,
  ): Promise<NotificationPreference> {
    if (!(await this.memberships.setNotify(roomId, userId, level))) {
      // Not a member (FORBIDDEN, or NOT_FOUND without such a room), unless they joined meanwhile.
      await this.assertMember(roomId, userId);
      await this.memberships.setNotify(roomId, userId, level);
    }
    return { roomId, level };
  }

  /** Throws NOT_FOUND for an unknown room and FORBIDDEN for a non-member. */
  async assertMember(roomId: string, userId: string): Promise<RoomAccess> {
    const access = await this.roomsRepo.accessOf(roomId, userId);
    if (!access) throw AppError.notFound('Room');
    if (!access.role) throw AppError.forbidden('You are not a member of this room');
    return access;
  }

  /** A member about to write (upload a file…): FORBIDDEN for others, ROOM_ARCHIVED in an archived room. */
  async assertCanWrite(roomId: string, userId: string): Promise<RoomAccess> {
    const access = await this.assertMember(roomId, userId);
    assertWritable({ archivedAt: access.archived ? 'archived' : null });
    return access;
  }

  /** The room as a just-subscribed socket sees it (see RoomsRepository.subscribedView). */
  subscribedView(roomId: string, userId: string) {
    return this.roomsRepo.subscribedView(roomId, userId);
  }


  private async lockRoom(db: EntityManager, roomId: string): Promise<RoomEntity> {
    const room = await this.roomsRepo.lock(db, roomId);
    if (!room) throw AppError.notFound('Room');
    return room;
  }

  /** Within the transaction that locked the room, so the capacity check is exact. */
  private async insertMember(db: EntityManager, room: RoomEntity, userId: string): Promise<void> {
    if (room.capacity !== null && (await this.memberships.count(db, room.id)) >= room.capacity) {
      throw new AppError(ErrorCode.ROOM_FULL, 'This room is full');
    }
    await this.memberships.add(db, room.id, userId, 'member');
  }

  private async withPresence(members: Omit<Member, 'online'>[]): Promise<Member[]> {
    const online = await this.presence.onlineAmong(members.map((member) => member.user.id));
    return members.map((member) => ({ ...member, online: online.has(member.user.id) }));
  }
}
