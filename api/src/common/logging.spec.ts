import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttp } from 'pino-http';

import { httpLoggerOptions, withoutSecrets } from './logging';

const SECRET = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl';

/** The JSON lines a logger built with the production options writes. */
function memoryDestination() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  return { stream, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

const options = () => httpLoggerOptions({ level: 'info', instanceId: 'api-test' });

describe('httpLoggerOptions', () => {
  it('logs a request with its id and without credentials from headers or the query string', async () => {
    const destination = memoryDestination();
    const middleware = pinoHttp(options(), destination.stream);
    const server = createServer((request, response) =>
      middleware(request, response, () => response.end('{}')),
    ).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/api/rooms?token=${SECRET}&limit=5`, {
        headers: { authorization: `Bearer ${SECRET}`, cookie: `session=${SECRET}`, 'x-request-id': 'req-42' },
      });
      expect(response.headers.get('x-request-id')).toBe('req-42');
      await response.text();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    expect(destination.lines.join('\n')).not.toContain(SECRET);
    const [record] = destination.records();
    expect(record).toMatchObject({
      instanceId: 'api-test',
      req: {
        id: 'req-42',
        url: '/api/rooms?token=[Redacted]&limit=5',
        headers: { authorization: '[Redacted]', cookie: '[Redacted]' },
      },
    });
  });

  it('makes up a request id when the incoming one is missing or not an id', async () => {
    const ids: string[] = [];
    const genReqId = options().genReqId!;
    const response = { setHeader: (_name: string, value: string) => ids.push(value) };
    genReqId({ headers: {} } as never, response as never);
    genReqId({ headers: { 'x-request-id': '{"injected":"json"}\n' } } as never, response as never);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redacts passwords, tokens and handshake credentials wherever services log them', () => {
    const destination = memoryDestination();
    const logger = pino(options(), destination.stream);
    logger.info({ req: { body: { username: 'alice', password: SECRET } } }, 'login');
    logger.info({ password: SECRET, user: { password: SECRET }, dto: { user: { password: SECRET } } });
    logger.info({ handshake: { auth: { token: SECRET }, headers: { authorization: `Bearer ${SECRET}` } } });
    logger.info({ socket: { handshake: { auth: { token: SECRET } } } });
    logger.info({ auth: { token: SECRET }, accessToken: SECRET, response: { accessToken: SECRET } });

    expect(destination.lines).toHaveLength(5);
    expect(destination.lines.join('\n')).not.toContain(SECRET);
    expect(destination.records()[0]).toMatchObject({
      req: { body: { username: 'alice', password: '[Redacted]' } },
    });
  });
});

describe('withoutSecrets', () => {
  it.each([
    ['/socket.io/?EIO=4&transport=polling&token=abc', '/socket.io/?EIO=4&transport=polling&token=[Redacted]'],
    ['/api/x?access_token=abc&b=1', '/api/x?access_token=[Redacted]&b=1'],
    ['/api/x?PASSWORD=abc#frag', '/api/x?PASSWORD=[Redacted]#frag'],
    ['/api/x?notatoken=abc', '/api/x?notatoken=abc'],
    [
      `/api/incoming/chatbot_${'a'.repeat(32)}_${'S'.repeat(43)}`,
      `/api/incoming/chatbot_${'a'.repeat(32)}_[Redacted]`,
    ],
  ])('%s → %s', (url, expected) => {
    expect(withoutSecrets(url)).toBe(expected);
  });
});
