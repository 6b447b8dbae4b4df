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
  createdAt: string;
  revokedAt: string | null;
  key?: string;
}

export interface CreateBotResponse {
  bot: User;
  apiKey: BotApiKey;
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
