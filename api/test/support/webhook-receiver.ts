import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

const WAIT_MS = 20_000;

/** An HTTP endpoint on 127.0.0.1 that records webhook requests and answers with the status it is told. */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  /** Statuses for the next requests, in order; then `status`. */
  plan: number[] = [];
  status = 200;
  private waiters: { predicate: (hook: ReceivedHook) => boolean; resolve: (hook: ReceivedHook) => void }[] =
    [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () =>
        receiver.accept(request.headers, body, (status) => response.writeHead(status).end()),
      );
    });
    const receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The first recorded or future request that matches. */
  next(
    predicate: (hook: ReceivedHook) => boolean = () => true,
    label = 'a webhook request',
  ): Promise<ReceivedHook> {
    const seen = this.received.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${label}`)), WAIT_MS);
      this.waiters.push({
        predicate,
        resolve: (hook) => {
          clearTimeout(timer);
          resolve(hook);
        },
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(headers: IncomingHttpHeaders, body: string, answer: (status: number) => void): void {
    const status = this.plan.shift() ?? this.status;
    const hook = { headers, body, status };
    this.received.push(hook);
    answer(status);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(hook)) return true;
      waiter.resolve(hook);
      return false;
    });
  }
}
