import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { RoomJoinResult, channelOfRoom, channelOfUser } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { PresenceService } from '../presence/presence.service';
import type { ChatSocket } from '../realtime/socket-types';
import { RoomsService } from '../rooms/rooms.service';

/** The socket side of the chat: connection lifecycle and per-socket room subscriptions. */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);
  readonly instanceId: string;

  constructor(
    private readonly rooms: RoomsService,
    private readonly presence: PresenceService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.instanceId = config.get('app.instanceId', { infer: true });
  }

  async onConnect(socket: ChatSocket): Promise<void> {
    const { user } = socket.data;
    // The user channel lets any instance reach all of a user's sockets (room leave, bans).
    await socket.join(channelOfUser(user.id));
    socket.emit('session', { userId: user.id, instanceId: this.instanceId });
    await this.presence.connected(user.id).catch((error: Error) => {
      this.logger.warn(`Presence update failed for ${user.id}: ${error.message}`);
    });
  }

  async onDisconnect(socket: ChatSocket): Promise<void> {
    const user = socket.data.user;
    if (!user) return;
    await this.presence.disconnected(user.id).catch((error: Error) => {
      this.logger.warn(`Presence update failed for ${user.id}: ${error.message}`);
    });
  }

  async join(socket: ChatSocket, roomId: string): Promise<RoomJoinResult> {
    await this.rooms.subscribe(socket.data.user.id, roomId);
    await socket.join(channelOfRoom(roomId));
    // Read after joining: every message with a seq above this one is certain to arrive live.
    const room = await this.rooms.getRoom(roomId);
    const online = await this.presence.onlineAmong(await this.rooms.memberIds(roomId));
    return { room, lastSeq: room.lastSeq, onlineMemberIds: [...online] };
  }

  async leave(socket: ChatSocket, roomId: string): Promise<void> {
    await socket.leave(channelOfRoom(roomId));
  }

  /** Typing is not stored; only a socket subscribed to the room may signal it. */
  typing(socket: ChatSocket, roomId: string, isTyping: boolean): void {
    const channel = channelOfRoom(roomId);
    if (!socket.rooms.has(channel)) throw AppError.forbidden('Join the room before signalling typing');
    socket.to(channel).emit('typing', { roomId, userId: socket.data.user.id, isTyping });
  }
}
