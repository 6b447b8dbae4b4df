import { ChatSocket, ChatSocketSettings } from './chat-socket';
import { ChatHttpClient } from './http-client';

export interface ChatClientOptions {
  baseUrl: string;
  token?: string | null;
  fetch?: typeof fetch;
  socketOptions?: ChatSocketSettings;
}

/** REST and sockets of one user, sharing one token: sign in over `http`, then open sockets. */
export class ChatClient {
  readonly http: ChatHttpClient;
  private readonly baseUrl: string;
  private readonly socketOptions: ChatSocketSettings;

  constructor(options: ChatClientOptions) {
    this.baseUrl = options.baseUrl;
    this.socketOptions = options.socketOptions ?? {};
    this.http = new ChatHttpClient({ baseUrl: options.baseUrl, token: options.token, fetch: options.fetch });
  }

  /** A new, unconnected socket on each call (one per tab or connection), reading the current token. */
  socket(overrides: ChatSocketSettings = {}): ChatSocket {
    return new ChatSocket({ ...this.socketOptions, ...overrides, baseUrl: this.baseUrl, http: this.http });
  }
}
