import committed from './asyncapi.json';
import { ClientEvent, ServerEvent } from './events';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildAsyncApi } = require('../../../scripts/asyncapi.js') as { buildAsyncApi: () => object };

describe('AsyncAPI document of the Socket.IO contract', () => {
  it('is up to date with the contract types (regenerate with `node scripts/asyncapi.js`)', () => {
    expect(JSON.parse(JSON.stringify(buildAsyncApi()))).toEqual(committed);
  }, 30_000);

  it('has an operation for every event, client events replying with their ack', () => {
    const messages = committed.channels.chat.messages as Record<string, { name: string }>;
    const operations = Object.values(committed.operations) as {
      action: string;
      messages: { $ref: string }[];
      reply?: object;
    }[];
    const eventsOf = (action: string) =>
      operations
        .filter((operation) => operation.action === action)
        .map((operation) => messages[operation.messages[0].$ref.split('/').pop()!].name)
        .sort();
    expect(eventsOf('send')).toEqual(Object.values(ClientEvent).sort());
    expect(eventsOf('receive')).toEqual(Object.values(ServerEvent).sort());
    expect(operations.filter((o) => o.action === 'send').every((o) => o.reply)).toBe(true);
  });

  it('tells that server events may end with the recovery offset, and how a client resumes with it', () => {
    const received = Object.values(committed.operations as Record<string, Record<string, unknown>>).filter(
      (operation) => operation.action === 'receive',
    );
    expect(received).toHaveLength(Object.values(ServerEvent).length);
    for (const operation of received) {
      expect(operation['x-socketio-recovery-offset']).toMatchObject({
        argument: 2,
        schema: { type: 'string' },
      });
    }
    const recovery = (committed as Record<string, any>)['x-socketio-connection-state-recovery'];
    expect(Object.keys(recovery.handshakeAuth.schema.properties)).toEqual(['token', 'pid', 'offset']);
  });

  it('resolves every schema reference', () => {
    const text = JSON.stringify(committed);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(committed.components.schemas).toHaveProperty([name]);
  });
});
