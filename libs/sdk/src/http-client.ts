import {
  AddMemberRequest,
  Attachment,
  AttachmentUrls,
  AuthResponse,
  AuthSessionInfo,
  AuthSessionList,
  BotApiKey,
  ChangePasswordRequest,
  ClusterStats,
  CreateBotRequest,
  CreateBotResponse,
  CreateDirectRoomRequest,
  CreateRoomRequest,
  DeleteAccountRequest,
  ErrorBody,
  ErrorCode,
  HistoryQuery,
  IncomingWebhook,
  Limits,
  LoginRequest,
  Member,
  MemberPage,
  MembersQuery,
  MessagePage,
  MessageSendResult,
  MyRoom,
  NotificationPreference,
  NotificationPreferenceRequest,
  NotifyLevel,
  PostMessageRequest,
  RegisterRequest,
  Room,
  RoomBot,
  SearchRequest,
  SearchResults,
  SetMemberRoleRequest,
  TransferOwnershipRequest,
  UpdateProfileRequest,
  UpdateRoomRequest,
  User,
  Webhook,
  WebhookDelivery,
  WebhookEvent,
} from '@chat/contracts';

import { ChatApiError, isErrorCode } from './errors';

export interface ChatHttpClientOptions {
  /** Origin of the API, e.g. `https://chat.example.com`; REST lives under `${baseUrl}/api`. */
  baseUrl: string;
  token?: string | null;
  fetch?: typeof fetch;
}

/** Body of `GET /api/health` (Terminus): `status` is `ok` when every dependency answers. */
export interface HealthReport {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, HealthIndicator>;
  error?: Record<string, HealthIndicator>;
  details?: Record<string, HealthIndicator>;
}
export interface HealthIndicator {
  status: string;
  [key: string]: unknown;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  body?: unknown;
  /** A multipart body instead of JSON (fetch sets its content type and boundary). */
  form?: FormData;
  query?: Query;
}

interface RawResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  body: unknown;
}

/** Typed REST client. Every non-2xx answer becomes a `ChatApiError` carrying the contract's error code. */
export class ChatHttpClient {
  private readonly apiUrl: string;
  private readonly fetchFn: typeof fetch;
  private currentToken: string | null;

  constructor(options: ChatHttpClientOptions) {
    this.apiUrl = `${options.baseUrl.replace(/\/+$/, '')}/api`;
    this.currentToken = options.token ?? null;
    const custom = options.fetch;
    // Called through a closure: a browser's fetch invoked as a method of another object throws "Illegal invocation".
    this.fetchFn = custom
      ? (input, init) => custom(input, init)
      : (input, init) => globalThis.fetch(input, init);
  }

  get token(): string | null {
    return this.currentToken;
  }

  setToken(token: string | null): void {
    this.currentToken = token;
  }

  // ---- auth -----------------------------------------------------------------

  async register(request: RegisterRequest): Promise<AuthResponse> {
    const auth = await this.request<AuthResponse>('POST', '/auth/register', { body: request });
    this.currentToken = auth.accessToken;
    return auth;
  }

  async login(request: LoginRequest): Promise<AuthResponse> {
    const auth = await this.request<AuthResponse>('POST', '/auth/login', { body: request });
    this.currentToken = auth.accessToken;
    return auth;
  }

  /**
   * A fresh token in the current one's sign-in session (refused once that session has ended); hand
   * it to open sockets with `refreshAuth`.
   */
  async refresh(): Promise<AuthResponse> {
    const auth = await this.request<AuthResponse>('POST', '/auth/refresh');
    this.currentToken = auth.accessToken;
    return auth;
  }

  /**
   * Ends the current sign-in session on every instance: all its tokens, refreshed ones included, are
   * refused from now on and its sockets are disconnected. Forgets the token.
   */
  async logout(): Promise<void> {
    await this.request('POST', '/auth/logout');
    this.currentToken = null;
  }

  /** Ends every sign-in session of the user (every device, this one included) and forgets the token. */
  async logoutAll(): Promise<void> {
    await this.request('POST', '/auth/logout-all');
    this.currentToken = null;
  }

  /** The user's open sign-in sessions, most recently seen first; `current` marks this client's. */
  async sessions(): Promise<AuthSessionInfo[]> {
    return (await this.request<AuthSessionList>('GET', '/auth/sessions')).sessions;
  }

  /** Ends one sign-in session of the user (e.g. a lost device): its tokens and sockets. */
  async endSession(sessionId: string): Promise<void> {
    await this.request('DELETE', `/auth/sessions/${encodeURIComponent(sessionId)}`);
  }

  // ---- the caller's account ----------------------------------------------------

  updateProfile(request: UpdateProfileRequest): Promise<User> {
    return this.request('PATCH', '/account', { body: request });
  }

  /** Every other session ends; this client's token stays valid. */
  async changePassword(request: ChangePasswordRequest): Promise<void> {
    await this.request('POST', '/account/password', { body: request });
  }

  /** Ends every session, this one included: the token is refused afterwards. */
  async deleteAccount(request: DeleteAccountRequest): Promise<void> {
    await this.request('DELETE', '/account', { body: request });
  }

  me(): Promise<User> {
    return this.request('GET', '/auth/me');
  }

  // ---- users ----------------------------------------------------------------

  searchUsers(search?: string): Promise<User[]> {
    return this.request('GET', '/users', { query: { search } });
  }

  // ---- rooms ----------------------------------------------------------------

  createRoom(request: CreateRoomRequest): Promise<Room> {
    return this.request('POST', '/rooms', { body: request });
  }

  myRooms(): Promise<MyRoom[]> {
    return this.request('GET', '/rooms');
  }

  publicRooms(search?: string): Promise<Room[]> {
    return this.request('GET', '/rooms/public', { query: { search } });
  }

  joinRoom(roomId: string): Promise<Room> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/join`);
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.request('POST', `/rooms/${encodeURIComponent(roomId)}/leave`);
  }

  addMember(roomId: string, userId: string): Promise<Member> {
    const body: AddMemberRequest = { userId };
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/members`, { body });
  }

  // ---- room administration (owner and admins; see MemberRole) --------------------

  /** Rename and/or set the topic (null or "" clears it). */
  updateRoom(roomId: string, request: UpdateRoomRequest): Promise<Room> {
    return this.request('PATCH', `/rooms/${encodeURIComponent(roomId)}`, { body: request });
  }

  /** Owner only: promote a member to admin, or demote an admin. */
  setMemberRole(roomId: string, userId: string, role: SetMemberRoleRequest['role']): Promise<Room> {
    const body: SetMemberRoleRequest = { role };
    return this.request('PUT', `${memberPath(roomId, userId)}/role`, { body });
  }

  /** Owner only: hand the room to another member; the caller stays as an admin. */
  transferOwnership(roomId: string, userId: string): Promise<Room> {
    const body: TransferOwnershipRequest = { userId };
    return this.request('PUT', `/rooms/${encodeURIComponent(roomId)}/owner`, { body });
  }

  /** Removes a member (who may join a public room again; ban to keep them out). */
  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.request('DELETE', memberPath(roomId, userId));
  }

  /** Owner only: read-only (ROOM_ARCHIVED on every write) until `unarchiveRoom`. */
  archiveRoom(roomId: string): Promise<Room> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/archive`);
  }

  unarchiveRoom(roomId: string): Promise<Room> {
    return this.request('DELETE', `/rooms/${encodeURIComponent(roomId)}/archive`);
  }

  /** Owner only: the room, its messages and attachments are gone; members get `room:removed`. */
  async deleteRoom(roomId: string): Promise<void> {
    await this.request('DELETE', `/rooms/${encodeURIComponent(roomId)}`);
  }

  /** Owner or admin: removes the user from the room and keeps them out until `unbanMember`. */
  async banMember(roomId: string, userId: string): Promise<void> {
    const body: AddMemberRequest = { userId };
    await this.request('POST', `/rooms/${encodeURIComponent(roomId)}/bans`, { body });
  }

  async unbanMember(roomId: string, userId: string): Promise<void> {
    await this.request('DELETE', `/rooms/${encodeURIComponent(roomId)}/bans/${encodeURIComponent(userId)}`);
  }

  /** One page of a room's members (by user id); pass its `nextCursor` as `after` for the next one. */
  memberPage(roomId: string, query: MembersQuery = {}): Promise<MemberPage> {
    const { after, limit } = query;
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}/members`, { query: { after, limit } });
  }

  /** Every member, page by page: fine for a small room; a large one is better read with `memberPage`. */
  async members(roomId: string): Promise<Member[]> {
    const members: Member[] = [];
    let after: string | undefined;
    do {
      const page = await this.memberPage(roomId, { after, limit: Limits.MEMBERS_PAGE_MAX });
      members.push(...page.members);
      after = page.nextCursor ?? undefined;
    } while (after);
    return members;
  }

  directRoom(userId: string): Promise<Room> {
    const body: CreateDirectRoomRequest = { userId };
    return this.request('POST', '/rooms/direct', { body });
  }

  history(roomId: string, query: HistoryQuery = {}): Promise<MessagePage> {
    const { before, after, around, limit, threadRootId, topLevel } = query;
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}/messages`, {
      query: { before, after, around, limit, threadRootId, topLevel },
    });
  }

  /**
   * Full-text search over the messages of the caller's rooms (best first, snippets as text parts),
   * plus people and public rooms by name on the first page. Next page: the same request with
   * `cursor: results.nextCursor`.
   */
  search(request: SearchRequest): Promise<SearchResults> {
    const { q, roomId, from, before, cursor, limit } = request;
    return this.request('GET', '/search', { query: { q, roomId, from, before, cursor, limit } });
  }

  /**
   * `message:send` over REST, for callers without a socket (a bot with an API key as its token, a
   * script). The same clientMsgId again returns the stored message with `duplicate: true`.
   */
  postMessage(
    roomId: string,
    body: string,
    clientMsgId: string,
    options: { threadRootId?: string; attachmentIds?: string[] } = {},
  ): Promise<MessageSendResult> {
    const request: PostMessageRequest = { body, clientMsgId, ...options };
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/messages`, { body: request });
  }

  /** Your notification preference for a room (`MyRoom.notify` shows it). */
  setNotificationPreference(roomId: string, level: NotifyLevel): Promise<NotificationPreference> {
    const body: NotificationPreferenceRequest = { level };
    return this.request('PUT', `/rooms/${encodeURIComponent(roomId)}/notifications`, { body });
  }

  // ---- attachments ------------------------------------------------------------

  /**
   * Uploads a file to a room (members only); send it with `send(roomId, body, {attachmentIds})`.
   * Unsent uploads are deleted after a grace period (ATTACHMENT_GC_GRACE).
   */
  uploadAttachment(roomId: string, file: Blob, name: string): Promise<Attachment> {
    const form = new FormData();
    form.append('file', file, name);
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/attachments`, { form });
  }

  /**
   * Short-lived links signed for this user (for `<img src>` and plain links, which cannot send the
   * token), absolute unless the client's base URL is empty; attachments the user may not read are left out.
   */
  async attachmentUrls(attachmentIds: string[]): Promise<AttachmentUrls> {
    const answer = await this.request<AttachmentUrls>('POST', '/attachments/signed-urls', {
      body: { attachmentIds },
    });
    const origin = this.apiUrl.slice(0, -'/api'.length);
    // Relative when the client has no base URL (a page talking to its own origin).
    const absolute = (path: string) => (origin ? new URL(path, `${origin}/`).toString() : path);
    return {
      expiresAt: answer.expiresAt,
      urls: answer.urls.map((u) => ({
        id: u.id,
        url: absolute(u.url),
        thumbnailUrl: u.thumbnailUrl === null ? null : absolute(u.thumbnailUrl),
      })),
    };
  }

  // ---- bots and webhooks (room owners) ---------------------------------------

  /** A bot account in the room, and its first API key (`apiKey.key`, shown only now). */
  createBot(roomId: string, request: CreateBotRequest): Promise<CreateBotResponse> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/bots`, { body: request });
  }

  /** The bots the caller made in this room, with their keys (no secrets). Room owners only. */
  roomBots(roomId: string): Promise<RoomBot[]> {
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}/bots`);
  }

  createBotKey(botId: string, roomIds: string[]): Promise<BotApiKey> {
    return this.request('POST', `/bots/${encodeURIComponent(botId)}/keys`, { body: { roomIds } });
  }

  botKeys(botId: string): Promise<BotApiKey[]> {
    return this.request('GET', `/bots/${encodeURIComponent(botId)}/keys`);
  }

  async revokeBotKey(botId: string, keyId: string): Promise<void> {
    await this.request('DELETE', `/bots/${encodeURIComponent(botId)}/keys/${encodeURIComponent(keyId)}`);
  }

  createIncomingWebhook(botId: string, roomId: string): Promise<IncomingWebhook> {
    return this.request('POST', `/bots/${encodeURIComponent(botId)}/incoming-webhooks`, { body: { roomId } });
  }

  /** A new URL for the same room (shown only now); the old one stops working. */
  rotateIncomingWebhook(botId: string, keyId: string): Promise<IncomingWebhook> {
    return this.request(
      'POST',
      `/bots/${encodeURIComponent(botId)}/incoming-webhooks/${encodeURIComponent(keyId)}/rotate`,
    );
  }

  /** An outgoing webhook; `secret` (for verifying `X-Chat-Signature`) is returned only now. */
  createWebhook(roomId: string, url: string, events?: WebhookEvent[]): Promise<Webhook> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/webhooks`, { body: { url, events } });
  }

  webhooks(roomId: string): Promise<Webhook[]> {
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}/webhooks`);
  }

  async deleteWebhook(roomId: string, webhookId: string): Promise<void> {
    await this.request(
      'DELETE',
      `/rooms/${encodeURIComponent(roomId)}/webhooks/${encodeURIComponent(webhookId)}`,
    );
  }

  enableWebhook(roomId: string, webhookId: string): Promise<Webhook> {
    return this.request(
      'POST',
      `/rooms/${encodeURIComponent(roomId)}/webhooks/${encodeURIComponent(webhookId)}/enable`,
    );
  }

  webhookDeliveries(roomId: string, webhookId: string): Promise<WebhookDelivery[]> {
    return this.request(
      'GET',
      `/rooms/${encodeURIComponent(roomId)}/webhooks/${encodeURIComponent(webhookId)}/deliveries`,
    );
  }

  // ---- operations -----------------------------------------------------------

  stats(): Promise<ClusterStats> {
    return this.request('GET', '/stats');
  }

  /** Resolves with the report on 503 too: "a dependency is down" is an answer, not a failure. */
  async health(): Promise<HealthReport> {
    const response = await this.send('GET', '/health', {});
    if (response.ok || (response.status === 503 && isObject(response.body)))
      return response.body as HealthReport;
    throw toApiError(response);
  }

  // ---- transport ------------------------------------------------------------

  private async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (!response.ok) throw toApiError(response);
    return response.body as T;
  }

  private async send(
    method: string,
    path: string,
    { body, form, query }: RequestOptions,
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.currentToken) headers.authorization = `Bearer ${this.currentToken}`;

    let response: Response;
    try {
      response = await this.fetchFn(`${this.apiUrl}${path}${queryString(query)}`, {
        method,
        headers,
        body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
    } catch (error) {
      throw new ChatApiError(0, {
        code: ErrorCode.UNAVAILABLE,
        message: `Request failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    return {
      status: response.status,
      ok: response.ok,
      headers: response.headers,
      body: await readBody(response),
    };
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}

const memberPath = (roomId: string, userId: string): string =>
  `/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`;

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toApiError({ status, headers, body }: RawResponse): ChatApiError {
  const retryAfter = retryAfterSeconds(body, headers);
  if (isObject(body) && isErrorCode(body.code) && typeof body.message === 'string') {
    const error: ErrorBody = { code: body.code, message: body.message };
    if (isObject(body.fields)) error.fields = body.fields as ErrorBody['fields'];
    if (retryAfter !== undefined) error.retryAfter = retryAfter;
    return new ChatApiError(status, error);
  }
  // Not the API's error body: a proxy, a load balancer or a crash answered instead.
  const code = codeOfStatus(status);
  return new ChatApiError(status, {
    code,
    message: `HTTP ${status}`,
    ...(retryAfter !== undefined && { retryAfter }),
  });
}

function retryAfterSeconds(body: unknown, headers: Headers): number | undefined {
  if (isObject(body) && typeof body.retryAfter === 'number') return body.retryAfter;
  const header = Number(headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(header) && header >= 0 ? header : undefined;
}

function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return ErrorCode.VALIDATION;
    case 401:
      return ErrorCode.UNAUTHORIZED;
    case 403:
      return ErrorCode.FORBIDDEN;
    case 404:
      return ErrorCode.NOT_FOUND;
    case 409:
      return ErrorCode.CONFLICT;
    case 429:
      return ErrorCode.RATE_LIMITED;
    case 502:
    case 503:
    case 504:
      return ErrorCode.UNAVAILABLE;
    default:
      return ErrorCode.INTERNAL;
  }
}
