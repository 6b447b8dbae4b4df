import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';

import { type MemberRole, type Room, type RoomRemovedEvent } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { MessageRow, toMessage } from '../database/rows';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { UsersRepository } from '../users/users.repository';
import { UpdateRoomDto } from './dto/update-room.dto';
import { RoomEntity } from './entities/room.entity';
import { MembershipsRepository } from './memberships.repository';
import { RoomAdminRepository, SystemEvent } from './room-admin.repository';
import {
  assertCanManage,
  assertCanModerate,
  assertCanSetRole,
  assertCanTransfer,
  assertOwnerRole,
  assertWritable,
} from './room-roles';
import { RoomsRepository } from './rooms.repository';

/** What one administrative change did, to be told once it committed. */
interface Change {
  system: SystemEvent | null;
  /** Users who lost the room, and why: unsubscribed on every instance and sent `room:removed`. */
  removed?: { userId: string; reason: RoomRemovedEvent['reason'] };
}

/**
 * Running a group room: its name and topic, roles, removals and bans, hand-over, archive and deletion.
 * Each change happens under the room's row lock, in one transaction with its system message (which
 * takes the room's next seq like any message, so history catch-up and recovery carry it); only after
 * the commit do members hear of it (`message:new`, `room:updated`) on every instance.
 */
@Injectable()
export class RoomAdminService {
  private readonly instanceId: string;

  constructor(
    private readonly roomsRepo: RoomsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly admin: RoomAdminRepository,
    private readonly users: UsersRepository,
    private readonly broadcaster: RealtimeBroadcaster,
    config: ConfigService<AllConfig, true>,
  ) {
    this.instanceId = config.get('app.instanceId', { infer: true });
  }

  update(actorId: string, roomId: string, dto: UpdateRoomDto): Promise<Room> {
    return this.change(roomId, actorId, async (db, room, actor) => {
      assertCanManage(actor, 'rename the room or set its topic');
      assertWritable(room);
      const name = dto.name?.trim();
      const topic = dto.topic === undefined ? undefined : dto.topic?.trim() || null;
      const renamed = name !== undefined && name !== room.name;
      const topicChanged = topic !== undefined && topic !== room.topic;
      await this.admin.update(db, roomId, {
        name: renamed ? name : undefined,
        topic: topicChanged ? topic : undefined,
      });
      // One message per request: a rename says so (with the topic change in it, if both changed).
      if (renamed) return { system: { kind: 'room_renamed', actorId, name, ...(topicChanged && { topic }) } };
      if (topicChanged) return { system: { kind: 'topic_changed', actorId, topic } };
      return { system: null };
    });
  }

  setRole(actorId: string, roomId: string, userId: string, role: 'admin' | 'member'): Promise<Room> {
    return this.change(roomId, actorId, async (db, room, actor) => {
      const target = await this.memberships.roleOf(db, roomId, userId);
      assertCanSetRole(actor, target, userId === actorId);
      assertWritable(room);
      if (target === role) return { system: null };
      await this.admin.setRole(db, roomId, userId, role);
      return {
        system: { kind: role === 'admin' ? 'member_promoted' : 'member_demoted', actorId, targetId: userId },
      };
    });
  }

  /** The owner hands the room to another member, and stays as an admin. */
  transfer(actorId: string, roomId: string, userId: string): Promise<Room> {
    return this.change(roomId, actorId, async (db, _room, actor) => {
      assertCanTransfer(actor, await this.memberships.roleOf(db, roomId, userId), userId === actorId);
      return { system: await this.handOver(db, roomId, actorId, userId) };
    });
  }

  /** Removes a member: like a ban, without keeping them out. */
  remove(actorId: string, roomId: string, userId: string): Promise<Room> {
    return this.change(roomId, actorId, async (db, room, actor) => {
      const target = await this.memberships.roleOf(db, roomId, userId);
      assertCanModerate(actor, target, userId === actorId, 'remove');
      assertWritable(room);
      if (!target) throw AppError.notFound('Member');
      await this.memberships.remove(roomId, userId, db);
      return {
        system: { kind: 'member_removed', actorId, targetId: userId },
        removed: { userId, reason: 'removed' },
      };
    });
  }

  /** Removes (if a member) and keeps out. Idempotent: banning again changes and says nothing. */
  ban(actorId: string, roomId: string, userId: string): Promise<Room> {
    return this.change(roomId, actorId, async (db, room, actor) => {
      const target = await this.memberships.roleOf(db, roomId, userId);
      assertCanModerate(actor, target, userId === actorId, 'ban');
      assertWritable(room);
      if (!(await this.users.exists(userId, db))) throw AppError.notFound('User');
      const removed = { userId, reason: 'banned' as const };
      if (!target && (await this.roomsRepo.isBanned(db, roomId, userId))) return { system: null, removed };
      if (target) await this.memberships.remove(roomId, userId, db);
      await this.roomsRepo.ban(db, roomId, userId, actorId);
      return { system: { kind: 'member_banned', actorId, targetId: userId }, removed };
    });
  }

  /** The owner or an admin lifts a ban; the user may join (public) or be added (private) again. Idempotent. */
  async unban(actorId: string, roomId: string, userId: string): Promise<void> {
    await this.roomsRepo.transaction(async (db) => {
      await lockGroupRoom(this.roomsRepo, db, roomId);
      assertCanManage(await this.memberships.roleOf(db, roomId, actorId), 'lift bans');
      await this.roomsRepo.unban(roomId, userId, db);
    });
  }

  setArchived(actorId: string, roomId: string, archived: boolean): Promise<Room> {
    return this.change(roomId, actorId, async (db, room, actor) => {
      assertOwnerRole(actor, archived ? 'archive the room' : 'unarchive the room');
      if ((room.archivedAt !== null) === archived) return { system: null };
      await this.admin.setArchived(db, roomId, archived);
      return { system: { kind: archived ? 'room_archived' : 'room_unarchived', actorId } };
    });
  }

  /**
   * The owner deletes the room: its messages, memberships, bans, webhooks and attachments go with the
   * row (the attachments' trigger queues their bytes for the collector). Every member is told `room:removed
   * {reason: 'deleted'}` and every socket, on every instance, leaves the room.
   */
  async delete(actorId: string, roomId: string): Promise<void> {
    const memberIds = await this.roomsRepo.transaction(async (db) => {
      await lockGroupRoom(this.roomsRepo, db, roomId);
      assertOwnerRole(await this.memberships.roleOf(db, roomId, actorId), 'delete the room');
      const ids = await this.admin.memberIds(db, roomId);
      await this.admin.delete(db, roomId);
      return ids;
    });
    this.broadcaster.closeRoom(roomId);
    for (const userId of memberIds)
      this.broadcaster.toUser(userId, 'room:removed', { roomId, reason: 'deleted' });
  }

  /**
   * A deleted account's group rooms, in its deletion's transaction: each room it owns goes to a
   * successor (RoomAdminRepository.successor) or, with nobody left, is archived; then it leaves
   * every group room. Its direct rooms are archived (nobody can answer) and it stays in them, so the
   * other person keeps the conversation. Returns the system messages to announce after the commit.
   */
  async leaveEverything(
    db: EntityManager,
    userId: string,
  ): Promise<{ rooms: string[]; messages: MessageRow[] }> {
    const { owned, group, direct } = await this.admin.roomsOf(db, userId);
    const messages: MessageRow[] = [];
    for (const roomId of owned) {
      await lockGroupRoom(this.roomsRepo, db, roomId);
      const successor = await this.admin.successor(db, roomId, userId);
      const event: SystemEvent = successor
        ? await this.handOver(db, roomId, userId, successor)
        : { kind: 'room_archived', actorId: userId };
      if (!successor) await this.admin.setArchived(db, roomId, true);
      messages.push(await this.admin.appendSystemMessage(db, roomId, event, this.instanceId));
    }
    await this.admin.removeMemberships(db, userId, group);
    for (const roomId of direct) await this.admin.setArchived(db, roomId, true);
    return { rooms: [...group, ...direct], messages };
  }

  /** After the commit of leaveEverything: the rooms hear of their new owner, archive or member count. */
  async announce(rooms: string[], messages: MessageRow[]): Promise<void> {
    for (const row of messages) this.broadcaster.toRoom(row.room_id, 'message:new', toMessage(row));
    for (const roomId of rooms) {
      const room = await this.roomsRepo.findById(roomId);
      if (room) this.broadcaster.toRoom(roomId, 'room:updated', { room });
    }
  }

  private async handOver(
    db: EntityManager,
    roomId: string,
    fromId: string,
    toId: string,
  ): Promise<SystemEvent> {
    await this.admin.setOwner(db, roomId, toId);
    await this.admin.setRole(db, roomId, toId, 'owner');
    await this.admin.setRole(db, roomId, fromId, 'admin');
    return { kind: 'ownership_transferred', actorId: fromId, targetId: toId };
  }

  /**
   * Locks the room, reads the actor's role, applies `work`; in the same transaction writes its system
   * message. After the commit: the removed user is unsubscribed and told, then the room hears of it.
   */
  private async change(
    roomId: string,
    actorId: string,
    work: (db: EntityManager, room: RoomEntity, actorRole: MemberRole | null) => Promise<Change>,
  ): Promise<Room> {
    const { change, message, room } = await this.roomsRepo.transaction(async (db) => {
      const locked = await lockGroupRoom(this.roomsRepo, db, roomId);
      const done = await work(db, locked, await this.memberships.roleOf(db, roomId, actorId));
      const row = done.system
        ? await this.admin.appendSystemMessage(db, roomId, done.system, this.instanceId)
        : null;
      return { change: done, message: row, room: (await this.roomsRepo.findById(roomId, db))! };
    });
    if (change.removed) {
      const { userId, reason } = change.removed;
      this.broadcaster.unsubscribeUser(userId, roomId);
      this.broadcaster.toUser(userId, 'room:removed', { roomId, reason });
    }
    if (message) {
      this.broadcaster.toRoom(roomId, 'message:new', toMessage(message));
      this.broadcaster.toRoom(roomId, 'room:updated', { room });
    }
    return room;
  }
}

/** The room locked for a change; direct rooms have no owner or admins, so nothing there is administrable. */
async function lockGroupRoom(rooms: RoomsRepository, db: EntityManager, roomId: string): Promise<RoomEntity> {
  const room = await rooms.lock(db, roomId);
  if (!room) throw AppError.notFound('Room');
  if (room.kind !== 'group') throw AppError.forbidden('Direct conversations have no administration');
  return room;
}
