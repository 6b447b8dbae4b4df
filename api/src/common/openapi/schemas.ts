import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import type {
  Attachment,
  AttachmentUrl,
  AttachmentUrls,
  AuthResponse,
  AuthSessionInfo,
  AuthSessionList,
  ClusterStats,
  ErrorCode,
  HttpErrorResponse,
  InstanceStats,
  Member,
  MemberPage,
  MemberRole,
  Message,
  MessagePage,
  MyRoom,
  NotificationPreference,
  NotifyLevel,
  Reaction,
  Room,
  RoomKind,
  RoomVisibility,
  SystemMessage,
  SystemMessageKind,
  User,
  ThreadSummary,
  UserRef,
} from '@chat/contracts';
import { ErrorCode as ErrorCodes, Limits } from '@chat/contracts';

/*
 * OpenAPI schemas of the contract's response shapes. Each class `implements` its contract interface,
 * so a field added to or renamed in libs/contracts fails compilation here instead of drifting.
 */

export class UserRefResponse implements UserRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiPropertyOptional({ enum: [true], description: 'Present only for bot accounts' }) isBot?: true;
  @ApiPropertyOptional({ enum: [true], description: 'Present only for a deleted account ("Deleted user")' })
  deleted?: true;
}

export class UserResponse extends UserRefResponse implements User {
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AuthResponseDto implements AuthResponse {
  @ApiProperty({ description: 'Bearer token for REST and the Socket.IO handshake (`auth.token`)' })
  accessToken!: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn!: number;
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
}

export class AuthSessionResponse implements AuthSessionInfo {
  @ApiProperty({ format: 'uuid', description: 'The `sid` claim of its tokens' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'When a token was last issued in it (sign-in or refresh)',
  })
  lastSeenAt!: string;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ description: 'The session of the token that asked' }) current!: boolean;
}

export class AuthSessionListResponse implements AuthSessionList {
  @ApiProperty({ type: [AuthSessionResponse], description: 'Open sessions, most recently seen first' })
  sessions!: AuthSessionResponse[];
}

export class AttachmentResponse implements Attachment {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'File name as uploaded, without path or control characters' }) name!: string;
  @ApiProperty({ description: 'Bytes as served' }) size!: number;
  @ApiProperty({ description: 'Sniffed from the bytes; application/octet-stream when unknown' })
  contentType!: string;
  @ApiPropertyOptional({ description: 'Images only (they have a thumbnail)' }) width?: number;
  @ApiPropertyOptional({ description: 'Images only' }) height?: number;
}

export class AttachmentUrlResponse implements AttachmentUrl {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Signed for the caller, until expiresAt' }) url!: string;
  @ApiProperty({ nullable: true, type: String }) thumbnailUrl!: string | null;
}

export class AttachmentUrlsResponse implements AttachmentUrls {
  @ApiProperty({ type: [AttachmentUrlResponse] }) urls!: AttachmentUrlResponse[];
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class ReactionResponse implements Reaction {
  @ApiProperty({ description: 'One emoji (a single grapheme)' }) emoji!: string;
  @ApiProperty({ description: 'Exact number of users who reacted with it' }) count!: number;
  @ApiProperty({
    type: [String],
    description: `Earliest first, at most ${Limits.REACTION_USERS_MAX}; includes the caller when the caller reacted`,
  })
  userIds!: string[];
}

export class ThreadSummaryResponse implements ThreadSummary {
  @ApiProperty() replyCount!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastReplyAt!: string | null;
}

export class SystemMessageResponse implements SystemMessage {
  @ApiProperty({
    enum: [
      'room_renamed',
      'topic_changed',
      'member_promoted',
      'member_demoted',
      'ownership_transferred',
      'member_removed',
      'member_banned',
      'room_archived',
      'room_unarchived',
    ],
  })
  kind!: SystemMessageKind;
  @ApiProperty({ format: 'uuid' }) actorId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) targetId?: string;
  @ApiPropertyOptional({ type: UserRefResponse }) target?: UserRefResponse;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) topic?: string | null;
}

export class MessageResponse implements Message {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) roomId!: string;
  @ApiProperty({ description: 'Per-room sequence: 1, 2, 3… contiguous' }) seq!: number;
  @ApiProperty({ format: 'uuid' }) senderId!: string;
  @ApiProperty({ type: UserRefResponse }) sender!: UserRefResponse;
  @ApiProperty({ description: 'Empty once deleted' }) body!: string;
  @ApiProperty() clientMsgId!: string;
  @ApiProperty({ description: 'API instance that accepted the message' }) instanceId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) editedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deletedAt!: string | null;
  @ApiPropertyOptional({ type: [AttachmentResponse], description: 'Absent when none' })
  attachments?: AttachmentResponse[];
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The thread root this message replies to; null for a top-level message',
  })
  threadRootId!: string | null;
  @ApiProperty({ description: 'Replies to this message (0 on a reply)' }) replyCount!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastReplyAt!: string | null;
  @ApiPropertyOptional({
    type: ThreadSummaryResponse,
    description: "On a reply: its root's current counters (how a root's update is announced live too)",
  })
  threadRoot?: ThreadSummaryResponse;
  @ApiProperty({ type: [ReactionResponse], description: "By the emoji's first use" })
  reactions!: ReactionResponse[];
  @ApiProperty({ type: [String], description: 'Ids of the room members the body mentions (@username)' })
  mentions!: string[];
  @ApiPropertyOptional({
    type: SystemMessageResponse,
    description: 'Present only on a system message (empty body)',
  })
  system?: SystemMessageResponse;
}

export class RoomResponse implements Room {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['group', 'direct'] }) kind!: RoomKind;
  @ApiProperty({ enum: ['public', 'private'] }) visibility!: RoomVisibility;
  @ApiProperty({ nullable: true, type: Number }) capacity!: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty() lastSeq!: number;
  @ApiProperty() memberCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) topic!: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Set while archived: read-only, writes answer 409 ROOM_ARCHIVED',
  })
  archivedAt!: string | null;
}

export class MyRoomResponse extends RoomResponse implements MyRoom {
  @ApiProperty({ enum: ['owner', 'admin', 'member'] }) role!: MemberRole;
  @ApiProperty() lastReadSeq!: number;
  @ApiProperty({ description: "Others' undeleted messages after lastReadSeq" }) unreadCount!: number;
  @ApiProperty({ type: MessageResponse, nullable: true }) lastMessage!: MessageResponse | null;
  @ApiProperty({ type: UserRefResponse, nullable: true }) peer!: UserRefResponse | null;
  @ApiProperty({ description: "Others' undeleted messages after lastReadSeq that mention you" })
  unreadMentions!: number;
  @ApiProperty({
    enum: ['all', 'mentions', 'none'],
    description: 'Your notification preference (default: mentions in group rooms, all in direct ones)',
  })
  notify!: NotifyLevel;
}

export class NotificationPreferenceResponse implements NotificationPreference {
  @ApiProperty({ format: 'uuid' }) roomId!: string;
  @ApiProperty({ enum: ['all', 'mentions', 'none'] }) level!: NotifyLevel;
}

export class MemberResponse implements Member {
  @ApiProperty({ type: UserRefResponse }) user!: UserRefResponse;
  @ApiProperty({ enum: ['owner', 'admin', 'member'] }) role!: MemberRole;
  @ApiProperty() lastReadSeq!: number;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
  @ApiProperty({ description: 'Connected to any instance of the cluster' }) online!: boolean;
}

export class MemberPageResponse implements MemberPage {
  @ApiProperty({ type: [MemberResponse], description: 'By user id' }) members!: MemberResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class MessagePageResponse implements MessagePage {
  @ApiProperty({ type: [MessageResponse], description: 'Ascending by seq' }) messages!: MessageResponse[];
  @ApiProperty() hasMore!: boolean;
}

export class InstanceStatsResponse implements InstanceStats {
  @ApiProperty() id!: string;
  @ApiProperty() connections!: number;
}

export class ClusterStatsResponse implements ClusterStats {
  @ApiProperty() onlineUsers!: number;
  @ApiProperty() connections!: number;
  @ApiProperty({ type: [InstanceStatsResponse] }) instances!: InstanceStatsResponse[];
}

export class ErrorResponse implements HttpErrorResponse {
  @ApiProperty() statusCode!: number;
  @ApiProperty({ enum: Object.values(ErrorCodes) }) code!: ErrorCode;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'Field → messages, for VALIDATION',
  })
  fields?: Record<string, string[]>;
  @ApiPropertyOptional({ description: 'Seconds, for RATE_LIMITED' }) retryAfter?: number;
}
