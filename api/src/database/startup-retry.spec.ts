import { AddressInfo, createServer } from 'node:net';
import { Client } from 'pg';

import { isDatabaseNotReadyYet } from './startup-retry';

/** A port nothing listens on: taken from the kernel, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('isDatabaseNotReadyYet', () => {
  it('retries a refused connection, as node-postgres reports it', async () => {
    const client = new Client({
      host: '127.0.0.1',
      port: await closedPort(),
      connectionTimeoutMillis: 2_000,
    });
    const error = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(isDatabaseNotReadyYet(error)).toBe(true);
  });

  it.each([
    ['the server is starting up (57P03)', { code: '57P03', message: 'the database system is starting up' }],
    [
      'an unknown host (not resolvable yet)',
      { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND postgres' },
    ],
    ['a connect timeout', new Error('timeout expired')],
    ['a server that closed the socket', new Error('Connection terminated unexpectedly')],
    [
      'every address of the host refused',
      Object.assign(new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }]), {
        code: 'ECONNREFUSED',
      }),
    ],
  ])('retries %s', (_name, error) => {
    expect(isDatabaseNotReadyYet(error)).toBe(true);
  });

  it.each([
    [
      'a wrong password (28P01)',
      { code: '28P01', message: 'password authentication failed for user "chat"' },
    ],
    ['a missing database (3D000)', { code: '3D000', message: 'database "chat" does not exist' }],
    ['a failing migration (42P07)', { code: '42P07', message: 'relation "users" already exists' }],
    ['an error without a code', new Error('something else')],
    ['not an error at all', undefined],
  ])('gives up at once on %s', (_name, error) => {
    expect(isDatabaseNotReadyYet(error)).toBe(false);
  });
});
