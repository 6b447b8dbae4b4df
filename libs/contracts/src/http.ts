import type { Member, Message, NotifyLevel, Room, User, UserRef } from './models';

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

/** `PATCH /api/rooms/:id` (owner or admin): only the fields given change. */
export interface UpdateRoomRequest {
  name?: string;
  /** Up to Limits.ROOM_TOPIC_MAX characters; null or "" clears it. */
  topic?: string | null;
}

/** `PUT /api/rooms/:id/members/:userId/role` (owner): promote a member to admin or demote an admin. */
export interface SetMemberRoleRequest {
  role: 'admin' | 'member';
}

/** `PUT /api/rooms/:id/owner` (owner): hand the room to another member; the old owner becomes an admin. */
export interface TransferOwnershipRequest {
  userId: string;
}

/** `PATCH /api/account`: the caller's display name, shown live in every room they are in. */
export interface UpdateProfileRequest {
  displayName: string;
}

/** `POST /api/account/password`: every other session of the caller ends; this one stays. */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/**
 * `DELETE /api/account`: the password again, so a stolen token alone cannot delete the account.
 * Messages stay, attributed to "Deleted user"; every session and socket ends; owned rooms are handed
 * to their longest-standing admin (else member), or archived when nobody else is left.
 */
export interface DeleteAccountRequest {
  password: string;
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
  /**
   * The page around this seq: it and up to `limit / 2` messages before it, the rest after it (fewer
   * before when the room starts sooner). Opens a room at a search hit. Not combinable with before/after.
   */
  around?: number;
  limit?: number;
  /**
   * Page one thread instead of the room: its root (the thread's first message, lowest seq) and its
   * replies. Seqs in a thread page are not contiguous (they are the room's). INVALID_THREAD_ROOT when
   * it names no top-level message of the room.
   */
  threadRootId?: string;
  /** Only top-level messages (no replies): the main timeline of a threaded room. Not with threadRootId. */
  topLevel?: boolean;
}

export interface MessagePage {
  /** Ascending by seq. */
  messages: Message[];
  /**
   * More messages exist beyond this page in the direction asked. With `around`: newer messages exist
   * after the page (older ones exist when the first seq is above 1: seqs are contiguous from 1).
   */
  hasMore: boolean;
}

/** `PUT /api/rooms/:id/notifications` (members): your notification preference for the room. */
export interface NotificationPreferenceRequest {
  level: NotifyLevel;
}

export interface NotificationPreference {
  roomId: string;
  level: NotifyLevel;
}

/** `GET /api/search`: full-text search over the messages of the caller's rooms (member now). */
export interface SearchRequest {
  /** Words as typed into a web search box: `"exact phrase"`, `or`, `-excluded`. 1–Limits.SEARCH_QUERY_MAX characters. */
  q: string;
  /** Only this room (the caller must be a member). */
  roomId?: string;
  /** Messages created at or after this instant (ISO 8601). */
  from?: string;
  /** Messages created before this instant (ISO 8601). */
  before?: string;
  /** The `nextCursor` of the previous page, with the same q, roomId, from and before. */
  cursor?: string;
  /** Hits per page, at most Limits.SEARCH_PAGE_MAX. */
  limit?: number;
}

/** A piece of a snippet: plain text, `match` when it is a word the query matched. Render as text, never as HTML. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface SearchHit {
  /** The message as it is now (edits applied); never a deleted one. */
  message: Message;
  /** The best fragments of the body with the matched words marked. */
  snippet: SnippetPart[];
  /** Postgres `ts_rank`: higher is more relevant; hits come best first. */
  rank: number;
}

export interface SearchResults {
  /** Best first (rank, then newest). */
  hits: SearchHit[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** People whose username or display name contains q (first page only; empty on later pages). */
  people: UserRef[];
  /** Public rooms whose name contains q (first page only; empty on later pages). */
  rooms: Room[];
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

/** `POST /api/rooms/:id/bots` (room owner): a bot account, a member of the room. */
export interface CreateBotRequest {
  username: string;
  displayName?: string;
}

/** An API key of a bot. `key` is only ever returned when the key is created; the server keeps a hash. */
export interface BotApiKey {
  id: string;
  botId: string;
  /** The rooms the key may post to (the bot must also be a member). */
  roomIds: string[];
  /** `incoming`: the secret of an incoming-webhook URL (`/api/incoming/<key>`); `api`: any other key. */
  kind: BotApiKeyKind;
  createdAt: string;
  revokedAt: string | null;
  key?: string;
}

export type BotApiKeyKind = 'api' | 'incoming';

export interface CreateBotResponse {
  bot: User;
  apiKey: BotApiKey;
}

/** `GET /api/rooms/:id/bots` (room owner): the bots the caller made that are members of the room. */
export interface RoomBot {
  bot: User;
  /** Oldest first, revoked ones included, without secrets. */
  keys: BotApiKey[];
}

/** `POST /api/bots/:id/keys` (the bot's creator): another key, scoped to rooms the caller owns. */
export interface CreateBotKeyRequest {
  roomIds: string[];
}

/** `POST /api/rooms/:id/messages`: what `message:send` does, over REST (people with a JWT, bots with an API key). */
export interface PostMessageRequest {
  /** May be empty when attachmentIds are given. */
  body: string;
  clientMsgId: string;
  /** Reply in a thread, as in `message:send`. */
  threadRootId?: string;
  /** As in `message:send`: the sender's unused uploads to this room. */
  attachmentIds?: string[];
}

/** `POST /api/attachments/signed-urls`: links an `<img>` or a plain link can load without a bearer header. */
export interface AttachmentUrlsRequest {
  attachmentIds: string[];
}

export interface AttachmentUrl {
  id: string;
  /** The file, signed for the caller alone (HMAC), until `expiresAt`. */
  url: string;
  /** The thumbnail (images only), signed likewise; null otherwise. */
  thumbnailUrl: string | null;
}

export interface AttachmentUrls {
  /** Only the attachments the caller may read now (a member of their room); others are left out. */
  urls: AttachmentUrl[];
  /** ISO 8601: ask again before then. */
  expiresAt: string;
}

export type WebhookEvent = 'message.created' | 'message.updated';

/** `POST /api/rooms/:id/webhooks` (room owner). `url`: https, or http to a loopback address. */
export interface CreateWebhookRequest {
  url: string;
  /** Default: both. */
  events?: WebhookEvent[];
}

/** An outgoing webhook. `secret` (the HMAC key) is only ever returned when the webhook is created. */
export interface Webhook {
  id: string;
  roomId: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
  consecutiveFailures: number;
  /** Set when it was disabled after too many consecutive failures; POST …/enable turns it back on. */
  disabledAt: string | null;
  secret?: string;
}

/** One delivery attempt, as logged (`GET /api/rooms/:id/webhooks/:webhookId/deliveries`, newest first). */
export interface WebhookDelivery {
  /** The same for every attempt of one event (also sent as `X-Chat-Delivery`). */
  deliveryId: string;
  event: WebhookEvent;
  attempt: number;
  outcome: 'delivered' | 'failed';
  responseStatus: number | null;
  error: string | null;
  instanceId: string;
  createdAt: string;
}

/**
 * The JSON body POSTed to a webhook. Headers: `X-Chat-Event`, `X-Chat-Delivery` (dedupe on it: delivery
 * is at least once), `X-Chat-Timestamp` (Unix seconds), `X-Chat-Signature: v1=<hex HMAC-SHA256 of
 * "<timestamp>.<raw body>" keyed with the webhook's secret>`. Refuse timestamps more than 5 minutes old.
 */
export interface WebhookPayload {
  deliveryId: string;
  event: WebhookEvent;
  occurredAt: string;
  message: Message;
}

/**
 * `POST /api/bots/:id/incoming-webhooks` (the bot's creator, owner of the room): a URL that posts to
 * one room as the bot, for services that can only call a URL. Its secret is an API key scoped to that
 * room (shown once; revoke it like any key). Body: `{"text": "…"}` or `{"body": "…"}`, optionally
 * `clientMsgId` (or an `Idempotency-Key` header) to make a retry store the message once.
 */
export interface CreateIncomingWebhookRequest {
  roomId: string;
}

/**
 * `POST /api/bots/:id/incoming-webhooks/:keyId/rotate` answers a new `IncomingWebhook` for the same
 * room and revokes the old URL's key.
 */
export interface IncomingWebhook {
  /** The id of the API key inside the URL (`DELETE /api/bots/:id/keys/:keyId` revokes it). */
  keyId: string;
  botId: string;
  roomId: string;
  /** Path of the URL, under the API's origin: `/api/incoming/<key>`. */
  path: string;
}

export interface IncomingWebhookMessage {
  text?: string;
  body?: string;
  clientMsgId?: string;
}
