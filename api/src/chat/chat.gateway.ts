import { UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';

import {
  AckOk,
  AuthRefreshResult,
  ClientEvent,
  MessageReadResult,
  MessageSendResult,
  MessageUpdateResult,
  ReactionResult,
  RoomJoinResult,
} from '@chat/contracts';

import { AuthService } from '../auth/auth.service';
import { BotKeys } from '../bots/bot-keys';
import { createValidationPipe } from '../common/validation';
import { MessagesService } from '../messages/messages.service';
import { ReactionsService } from '../messages/reactions.service';
import { chatMetrics } from '../metrics/chat-metrics';
import { DrainService } from '../realtime/drain.service';
import { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import { gateRecovery } from '../realtime/recovery-gate';
import { SlowConsumerWatchdog } from '../realtime/slow-consumer-watchdog';
import type { ChatServer, ChatSocket } from '../realtime/socket-types';
import { ChatService } from './chat.service';
import { ClientEventGuard } from './client-event.guard';
import {
  AuthRefreshDto,
  MessageEditDto,
  MessageIdDto,
  MessageReadDto,
  MessageSendDto,
  ReactionDto,
  RoomIdDto,
  TypingDto,
} from './dto/socket-payloads.dto';
import { DrainInterceptor, SendMetricsInterceptor } from './message-send.interceptors';
import { ChatRecoveryPolicy } from './recovery-policy';
import { SessionExpiry } from './session-expiry';
import { assertKeyScope } from './socket-credentials';
import { WsAckExceptionFilter } from './ws-ack-exception.filter';
import { createWsAuthMiddleware, refusalOf, unavailable } from './ws-auth.middleware';

const KNOWN_EVENTS = new Set<string>(Object.values(ClientEvent));

/** Thin: translates socket events into service calls; the return value is the ack. */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(ClientEventGuard)
@UsePipes(createValidationPipe())
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly auth: AuthService,
    private readonly botKeys: BotKeys,
    private readonly chat: ChatService,
    private readonly messages: MessagesService,
    private readonly reactions: ReactionsService,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly drain: DrainService,
    private readonly slowConsumers: SlowConsumerWatchdog,
    private readonly sessionExpiry: SessionExpiry,
    private readonly recoveryPolicy: ChatRecoveryPolicy,
  ) {}

  afterInit(server: ChatServer): void {
    // Before anything is written to a reconnecting socket: see gateRecovery.
    gateRecovery(server.of('/'), this.recoveryPolicy);
    server.use((_socket, next) =>
      next(this.drain.draining ? unavailable('This instance is shutting down, reconnect') : undefined),
    );
    server.use(createWsAuthMiddleware(this.auth, this.botKeys));
    server.use((socket, next) => {
      this.chat.admit(socket).then(
        () => next(),
        (error: unknown) => next(refusalOf(error)),
      );
    });
    this.broadcaster.attach(server);
    this.slowConsumers.watch(server);
    this.sessionExpiry.watch(server);
  }

  /**
   * One listener for every socket (Socket.IO calls it with the socket as `this`), not a closure per
   * connection: an idle socket should hold nothing it does not need.
   */
  private readonly answerUnknownEvent = (() => {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the listener's own `this` is the socket
    const gateway = this;
    return function (this: ChatSocket, event: string, ...args: unknown[]): void {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = args[args.length - 1];
      void gateway.chat.unknownEvent(this, event).then((answer) => {
        if (typeof ack === 'function') ack(answer);
      });
    };
  })();

  async handleConnection(socket: ChatSocket): Promise<void> {
    socket.onAny(this.answerUnknownEvent);
    chatMetrics.connections.inc();
    await this.chat.onConnect(socket);
  }

  async handleDisconnect(socket: ChatSocket): Promise<void> {
    chatMetrics.connections.dec();
    await this.chat.onDisconnect(socket);
  }

  @SubscribeMessage(ClientEvent.ROOM_JOIN)
  async join(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: RoomIdDto,
  ): Promise<AckOk<RoomJoinResult>> {
    const result = await this.chat.join(socket, dto.roomId);
    chatMetrics.joins.inc();
    return { ok: true, ...result };
  }

  @SubscribeMessage(ClientEvent.ROOM_LEAVE)
  async leave(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: RoomIdDto): Promise<AckOk> {
    await this.chat.leave(socket, dto.roomId);
    return { ok: true };
  }

  @SubscribeMessage(ClientEvent.MESSAGE_SEND)
  @UseInterceptors(SendMetricsInterceptor, DrainInterceptor)
  async send(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: MessageSendDto,
  ): Promise<AckOk<MessageSendResult>> {
    assertKeyScope(socket.data, dto.roomId);
    return {
      ok: true,
      ...(await this.messages.send(socket.data.user, dto)),
    };
  }

  @SubscribeMessage(ClientEvent.MESSAGE_EDIT)
  async edit(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: MessageEditDto,
  ): Promise<AckOk<MessageUpdateResult>> {
    return { ok: true, message: await this.messages.edit(socket.data.user, dto.messageId, dto.body) };
  }

  @SubscribeMessage(ClientEvent.MESSAGE_DELETE)
  async delete(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: MessageIdDto,
  ): Promise<AckOk<MessageUpdateResult>> {
    return { ok: true, message: await this.messages.delete(socket.data.user, dto.messageId) };
  }

  @SubscribeMessage(ClientEvent.REACTION_ADD)
  async addReaction(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: ReactionDto,
  ): Promise<AckOk<ReactionResult>> {
    return { ok: true, ...(await this.react(socket, dto, true)) };
  }

  @SubscribeMessage(ClientEvent.REACTION_REMOVE)
  async removeReaction(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: ReactionDto,
  ): Promise<AckOk<ReactionResult>> {
    return { ok: true, ...(await this.react(socket, dto, false)) };
  }

  @SubscribeMessage(ClientEvent.MESSAGE_READ)
  async read(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: MessageReadDto,
  ): Promise<AckOk<MessageReadResult>> {
    assertKeyScope(socket.data, dto.roomId);
    return { ok: true, ...(await this.messages.markRead(socket.data.user.id, dto.roomId, dto.seq)) };
  }

  @SubscribeMessage(ClientEvent.TYPING)
  async typing(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: TypingDto): Promise<AckOk> {
    await this.chat.typing(socket, dto.roomId, dto.isTyping);
    return { ok: true };
  }

  private react(socket: ChatSocket, dto: ReactionDto, add: boolean): Promise<ReactionResult> {
    const scope = socket.data.botKeyRoomIds ?? null;
    return this.reactions.change(socket.data.user.id, dto.messageId, dto.emoji, add, scope);
  }

  @SubscribeMessage(ClientEvent.AUTH_REFRESH)
  async refreshAuth(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: AuthRefreshDto,
  ): Promise<AckOk<AuthRefreshResult>> {
    return { ok: true, ...(await this.chat.refreshSession(socket, dto.token)) };
  }
}
