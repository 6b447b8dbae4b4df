import { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';

import { ClientToServerEvents, HistoryQuery, MessagePage, ServerToClientEvents } from '@chat/contracts';

export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

export type SocketFactory = (
  uri: string | undefined,
  options: Partial<ManagerOptions & SocketOptions>,
) => TypedSocket;

/** The Socket.IO options a caller may tune; path, auth and autoConnect are the SDK's. */
export type ChatSocketTuning = Pick<
  Partial<ManagerOptions & SocketOptions>,
  | 'transports'
  | 'reconnection'
  | 'reconnectionAttempts'
  | 'reconnectionDelay'
  | 'reconnectionDelayMax'
  | 'randomizationFactor'
  | 'timeout'
  | 'withCredentials'
>;

export interface ChatSocketSettings extends ChatSocketTuning {
  /** Default ack timeout of `request()` and each `send()` attempt. 5000 ms. */
  requestTimeoutMs?: number;
  /**
   * How long a gap in a room's live seqs may stay open before it is filled from history. Messages sent
   * on other instances travel through Redis and routinely arrive a little after later ones; waiting a
   * moment avoids a history request per reordering (which, over many clients, is a request storm).
   * 1000 ms.
   */
  gapGraceMs?: number;
  /** Node only: the local address to connect from (load tests spread clients over 127.0.0.x). */
  localAddress?: string;
  /** Creates the underlying socket; defaults to socket.io-client's `io`. Tests pass a fake. */
  socketFactory?: SocketFactory;
}

/** What the socket needs from the REST client: the current token, and history for catch-up. */
export interface ChatSocketHttp {
  readonly token: string | null;
  history(roomId: string, query: HistoryQuery): Promise<MessagePage>;
}

export interface ChatSocketOptions extends ChatSocketSettings {
  baseUrl: string;
  http: ChatSocketHttp;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export interface SubscribeOptions {
  /** Deliver messages after this seq (catching up over HTTP) instead of only new ones. */
  sinceSeq?: number;
}

export interface JoinOptions extends RequestOptions, SubscribeOptions {}

export interface SendOptions {
  /** Reuse to make a resend idempotent; generated once per `send()` otherwise. */
  clientMsgId?: string;
  /** Uploads (`http.uploadAttachment`) to send with the message; the body may then be empty. */
  attachmentIds?: string[];
  /** Send as a reply in this thread (a top-level message of the same room). */
  threadRootId?: string;
  /** Retries after the first attempt on transient failures. 5. */
  retries?: number;
  timeoutMs?: number;
}
