import type { ErrorBody } from './errors';
import type { Message, Reaction, Room, UserRef } from './models';

/** Socket.IO event names, default namespace, path `/socket.io`. */
export const ClientEvent = {
  ROOM_JOIN: 'room:join',
  ROOM_LEAVE: 'room:leave',
  MESSAGE_SEND: 'message:send',
  MESSAGE_EDIT: 'message:edit',
  MESSAGE_DELETE: 'message:delete',
  MESSAGE_READ: 'message:read',
  TYPING: 'typing',
  /** React to a message of a room you are a member of; idempotent. */
  REACTION_ADD: 'reaction:add',
  /** Take your reaction back; idempotent. */
  REACTION_REMOVE: 'reaction:remove',
  /** Swap the connection's token for a fresh one before it expires; the connection stays up. */
  AUTH_REFRESH: 'auth:refresh',
} as const;

export const ServerEvent = {
  MESSAGE_NEW: 'message:new',
  MESSAGE_UPDATED: 'message:updated',
  /** The reactions of a message of a joined room changed. */
  MESSAGE_REACTIONS: 'message:reactions',
  /**
   * To every socket of a user a message mentions (or, in a direct room, of its other participant),
   * on their user channel: whether or not they joined the room on that socket.
   */
  MENTION: 'mention',
  TYPING: 'typing',
  RECEIPT: 'receipt',
  PRESENCE: 'presence',
  /** Sent once after the handshake: who the server thinks you are, and where you landed. */
  SESSION: 'session',
  /** To every socket of a user who became a member of a room someone else made them part of. */
  ROOM_ADDED: 'room:added',
  /** To every socket of a user who is no longer in a room (removed, banned, or the room deleted); its events stop. */
  ROOM_REMOVED: 'room:removed',
  /** To a room's members: its name, topic, owner, archive state or member list changed. */
  ROOM_UPDATED: 'room:updated',
  /** To the rooms of a user who changed their display name (and to their own sockets). */
  USER_UPDATED: 'user:updated',
  /** Sent just before the server closes the connection because its credentials are no longer valid. */
  SESSION_ENDED: 'session:ended',
} as const;

// ---- acks ---------------------------------------------------------------

export type AckOk<T extends object = object> = { ok: true } & T;
export interface AckError {
  ok: false;
  error: ErrorBody;
}
export type Ack<T extends object = object> = AckOk<T> | AckError;
export type AckCallback<T extends object = object> = (ack: Ack<T>) => void;

// ---- client → server payloads ----------------------------------------------

export interface RoomJoinPayload {
  roomId: string;
}
export interface RoomJoinResult {
  room: Room;
  lastSeq: number;
  /** Ids of the room's members that are online now, anywhere in the cluster. */
  onlineMemberIds: string[];
}

export interface RoomLeavePayload {
  roomId: string;
}

export interface MessageSendPayload {
  roomId: string;
  /** May be empty when attachmentIds are given. */
  body: string;
  /** Chosen by the client, unique per sender: a resend with the same id is not stored twice. */
  clientMsgId: string;
  /**
   * Uploads of the sender to this room that no message carries yet (at most
   * Limits.ATTACHMENTS_PER_MESSAGE); each can be sent once. A resend returns the original.
   */
  attachmentIds?: string[];
  /**
   * Reply in the thread of this message: a top-level message of the same room (else the ack is
   * INVALID_THREAD_ROOT). The reply takes the room's next seq like any message.
   */
  threadRootId?: string;
}
export interface MessageSendResult {
  message: Message;
  /** True when this clientMsgId had been stored before: the ack carries the original. */
  duplicate: boolean;
}

export interface MessageEditPayload {
  messageId: string;
  body: string;
}
export interface MessageDeletePayload {
  messageId: string;
}
export interface MessageUpdateResult {
  message: Message;
}

export interface MessageReadPayload {
  roomId: string;
  seq: number;
}
export interface MessageReadResult {
  lastReadSeq: number;
}

/** Payload of `reaction:add` and `reaction:remove`. */
export interface ReactionPayload {
  messageId: string;
  /** One emoji (a single grapheme, at most Limits.EMOJI_MAX UTF-16 units). */
  emoji: string;
}
export interface ReactionResult {
  messageId: string;
  /** False when there was nothing to do (a second add, a remove of a reaction you do not have). */
  changed: boolean;
  /** The message's reactions after this event. */
  reactions: Reaction[];
}

export interface TypingPayload {
  roomId: string;
  isTyping: boolean;
}

export interface AuthRefreshPayload {
  /** A newer token of the same user (from POST /api/auth/refresh or a new login). */
  token: string;
}
export interface AuthRefreshResult {
  /** When the connection's new token expires (ISO 8601); refresh again before then. */
  expiresAt: string;
}

// ---- server → client payloads ----------------------------------------------

export interface MessageReactionsEvent {
  roomId: string;
  messageId: string;
  /** The change that caused this event. */
  userId: string;
  emoji: string;
  added: boolean;
  /** The message's reactions after the change. */
  reactions: Reaction[];
  /**
   * Grows by one with every change of this message's reactions. Events from different instances can
   * arrive out of order: keep the reactions of the highest version seen.
   */
  version: number;
}

export interface MentionEvent {
  roomId: string;
  messageId: string;
  seq: number;
  /** `mention`: the body mentions you; `direct`: a message in a direct conversation of yours. */
  reason: 'mention' | 'direct';
  /** The message itself, so a notification can show it without a request. */
  message: Message;
}

export interface TypingEvent {
  roomId: string;
  userId: string;
  isTyping: boolean;
}

export interface ReceiptEvent {
  roomId: string;
  userId: string;
  seq: number;
}

export interface PresenceEvent {
  userId: string;
  online: boolean;
}

export interface RoomAddedEvent {
  room: Room;
}

export interface RoomRemovedEvent {
  roomId: string;
  /** `banned` or `removed` by the owner or an admin; `deleted`: the owner deleted the room. */
  reason: 'banned' | 'removed' | 'deleted';
}

export interface RoomUpdatedEvent {
  /** The room as it is now. */
  room: Room;
}

export interface UserUpdatedEvent {
  user: UserRef;
}

/**
 * Why the server ended a connection's session: `expired` — its token expired without an
 * `auth:refresh`; `logged_out` — its sign-in session was ended (POST /api/auth/logout,
 * /api/auth/logout-all or DELETE /api/auth/sessions/:id, from any device); `suspended` — an
 * operator suspended the account. Deleting an account ends its sessions as `logged_out`. The connection closes right after and must not be retried with the
 * same token.
 */
export interface SessionEndedEvent {
  reason: 'expired' | 'logged_out' | 'suspended';
  message: string;
}

export interface SessionEvent {
  userId: string;
  instanceId: string;
}

// ---- typed event maps (for Socket.IO generics) ------------------------------

export interface ClientToServerEvents {
  'room:join': (payload: RoomJoinPayload, ack: AckCallback<RoomJoinResult>) => void;
  'room:leave': (payload: RoomLeavePayload, ack: AckCallback) => void;
  'message:send': (payload: MessageSendPayload, ack: AckCallback<MessageSendResult>) => void;
  'message:edit': (payload: MessageEditPayload, ack: AckCallback<MessageUpdateResult>) => void;
  'message:delete': (payload: MessageDeletePayload, ack: AckCallback<MessageUpdateResult>) => void;
  'message:read': (payload: MessageReadPayload, ack: AckCallback<MessageReadResult>) => void;
  typing: (payload: TypingPayload, ack?: AckCallback) => void;
  'reaction:add': (payload: ReactionPayload, ack: AckCallback<ReactionResult>) => void;
  'reaction:remove': (payload: ReactionPayload, ack: AckCallback<ReactionResult>) => void;
  'auth:refresh': (payload: AuthRefreshPayload, ack: AckCallback<AuthRefreshResult>) => void;
}

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  'message:updated': (message: Message) => void;
  'message:reactions': (event: MessageReactionsEvent) => void;
  mention: (event: MentionEvent) => void;
  typing: (event: TypingEvent) => void;
  receipt: (event: ReceiptEvent) => void;
  presence: (event: PresenceEvent) => void;
  session: (event: SessionEvent) => void;
  'room:added': (event: RoomAddedEvent) => void;
  'room:removed': (event: RoomRemovedEvent) => void;
  'room:updated': (event: RoomUpdatedEvent) => void;
  'user:updated': (event: UserUpdatedEvent) => void;
  'session:ended': (event: SessionEndedEvent) => void;
}

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;

/** The payload type of a client event, and the result carried by its successful ack. */
export type ClientPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
export type ClientAckResult<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[1] extends
  AckCallback<infer R> | undefined
  ? R
  : never;
export type ServerPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Socket.IO room names. Rooms are an implementation detail of the server, shared so tools can inspect them. */
export const channelOfRoom = (roomId: string): string => `room:${roomId}`;
export const channelOfUser = (userId: string): string => `user:${userId}`;
/** Every socket authenticated with one token (its `jti`), so a logout reaches exactly those. */
export const channelOfToken = (tokenId: string): string => `token:${tokenId}`;
/** Every socket of one sign-in session (the token's `sid`), so ending the session reaches all of them. */
export const channelOfSession = (sessionId: string): string => `session:${sessionId}`;
