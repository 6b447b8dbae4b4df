import { ChatSocket } from '@chat/sdk';

import { TestApp, startTestApp } from './support/test-app';
import { registerUser } from './support/users';

/** The value of one series in Prometheus text format, or undefined if absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('GET /metrics (Prometheus) on METRICS_PORT', () => {
  let app: TestApp;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app.close();
  });

  const scrape = async () => {
    const response = await fetch(`${app.metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('counts connections, joins, messages and ack latency, labelled with the instance', async () => {
    const alice = await registerUser(app.url, 'metrics');
    const room = await alice.client.http.createRoom({ name: 'Metrics', visibility: 'public' });
    const socket = alice.client.socket();
    sockets.push(socket);
    const { instanceId } = await socket.connect();
    await socket.join(room.id);
    const sent = await socket.send(room.id, 'counted');
    await socket.send(room.id, 'counted', { clientMsgId: sent.message.clientMsgId });
    await expect(socket.send(room.id, '', { retries: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });

    const text = await scrape();
    const instance = { instance: instanceId };
    expect(sample(text, 'chat_connections', instance)).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'chat_room_joins_total', instance)).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'chat_messages_acked_total', { ...instance, outcome: 'stored' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'chat_messages_acked_total', { ...instance, outcome: 'duplicate' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'chat_message_ack_seconds_count', { ...instance, outcome: 'stored' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'chat_broadcasts_total', { ...instance, event: 'message:new' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'chat_adapter_info', { adapter: 'redis-streams' })).toBe(1);
    expect(sample(text, 'chat_database_errors_total', instance)).toBe(0);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds', instance)).toBeGreaterThanOrEqual(0);

    socket.disconnect();
    const after = await scrape();
    expect(sample(after, 'chat_connections', instance)).toBe(sample(text, 'chat_connections', instance)! - 1);
  });

  it('is served on the metrics port only: the API port has no metrics under any spelling', async () => {
    for (const path of [
      '/metrics',
      '/metrics/',
      '/METRICS',
      '/Metrics/',
      '/api/metrics',
      '/metrics?format=text',
    ]) {
      const response = await fetch(`${app.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(await response.text()).not.toContain('chat_connections');
    }
    expect((await fetch(`${app.metricsUrl}/`)).status).toBe(404);
    expect((await fetch(`${app.metricsUrl}/api/health`)).status).toBe(404);
    const openapi = (await (await fetch(`${app.url}/api/docs-json`)).json()) as { paths: object };
    expect(Object.keys(openapi.paths).some((path) => path.includes('metrics'))).toBe(false);
  });

  it('serves the AsyncAPI document of the Socket.IO events beside OpenAPI', async () => {
    const response = await fetch(`${app.url}/api/asyncapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { asyncapi: string; operations: Record<string, unknown> };
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.keys(document.operations)).toEqual(expect.arrayContaining(['messageSend', 'onMessageNew']));
  });
});
