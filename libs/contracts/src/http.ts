import type { Member, Message, User } from './models';

/** REST request bodies and responses, under the `/api` prefix. */

export interface RegisterRequest {
  username: string;
  password: string;
  displayName?: string;
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface AuthResponse {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
  user: User;
}

/**
 * One sign-in of the caller (`GET /api/auth/sessions`): every token carries its session (`sid`);
 * refresh stays within it, and logout or `DELETE /api/auth/sessions/:id` ends it with all its tokens.
 */
export interface AuthSessionInfo {
  id: string;
  /** ISO 8601. */
  createdAt: string;
  /** When a token was last issued in this session (sign-in or refresh), ISO 8601. */
  lastSeenAt: string;
  /** As sent when the session was created, truncated; null when none was sent. */
  userAgent: string | null;
  /** The session of the token that asked. */
  current: boolean;
}

export interface AuthSessionList {
  /** Open sessions, most recently seen first. */
  sessions: AuthSessionInfo[];
}

export interface CreateRoomRequest {
  name: string;
  visibility: 'public' | 'private';
  capacity?: number | null;
}

export interface AddMemberRequest {
  userId: string;
}

export interface CreateDirectRoomRequest {
  userId: string;
}

export interface HistoryQuery {
  /** Messages with seq < before (newest page first, returned ascending). */
  before?: number;
  /** Messages with seq > after (oldest first): the reconnect catch-up. */
  after?: number;
  limit?: number;
}

export interface MessagePage {
  /** Ascending by seq. */
  messages: Message[];
  /** More messages exist beyond this page in the direction asked. */
  hasMore: boolean;
}

export interface MembersQuery {
  /** Members after this cursor: the `nextCursor` of the previous page. */
  after?: string;
  /** Page size, at most Limits.MEMBERS_PAGE_MAX. */
  limit?: number;
}

export interface MemberPage {
  /** In a stable order (by user id), so pages neither repeat nor skip anyone. */
  members: Member[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface InstanceStats {
  id: string;
  connections: number;
}

export interface ClusterStats {
  onlineUsers: number;
  connections: number;
  instances: InstanceStats[];
}
