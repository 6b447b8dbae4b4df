import { ChatSocket, ChatSocketOptions } from './chat-socket';
import { ChatHttpClient } from './http-client';

export interface ChatClientOptions {
  baseUrl: string;
  token?: string | null;
  fetch?: typeof fetch;
  socketOptions?: Omit<ChatSocketOptions, 'baseUrl' | 'http'>;
}

/** REST and sockets of one signed-in user, sharing the token. */
export class ChatClient {
  readonly http: ChatHttpClient;

  constructor(private readonly options: ChatClientOptions) {
    this.http = new ChatHttpClient(options);
  }

  socket(options: Omit<ChatSocketOptions, 'baseUrl' | 'http'> = {}): ChatSocket {
    return new ChatSocket({ baseUrl: this.options.baseUrl, http: this.http, ...this.options.socketOptions, ...options });
  }
}
