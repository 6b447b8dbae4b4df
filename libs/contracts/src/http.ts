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
