import { CLUSTER_START_TIMEOUT_MS, Cluster, startTestCluster } from './support/cluster';
import { rawRequest, uniqueName } from './support/users';

/**
 * What the public side of the load balancer (real nginx, docker/nginx.conf.template, as
 * `npm run cluster` runs it) lets through: no metrics under any spelling, and the client's
 * address carried to the instances for the per-address limits.
 */
describe('through the load balancer', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startTestCluster(1, 'redis-streams', { LOGIN_RATE_LIMIT: '3' });
  }, CLUSTER_START_TIMEOUT_MS);
  afterAll(() => cluster?.close());

  it('never serves metrics, whatever the spelling of the path; the metrics port does', async () => {
    const [instance] = cluster.instances;
    const scraped = await fetch(`${instance.metricsUrl}/metrics`);
    expect(await scraped.text()).toContain(`instance="${instance.id}"`);

    const spellings = [
      '/metrics',
      '/metrics/',
      '/METRICS',
      '/Metrics/',
      '/metrics?x=1',
      '/metrics/x',
      '/%6Detrics',
      '/api/../metrics',
      '//metrics',
    ];
    for (const path of spellings) {
      const response = await fetch(`${cluster.url}${path}`);
      const text = await response.text();
      expect({ path, status: response.status, leaked: text.includes('chat_connections') }).toEqual({
        path,
        status: 404,
        leaked: false,
      });
    }
  });

  it("limits sign-in attempts per client address, taken from nginx's X-Forwarded-For", async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const attempt = (address: string) =>
      rawRequest(cluster.url, 'POST', '/api/auth/login', {
        body: JSON.stringify({ username: uniqueName('nobody'), password: 'wrong password' }),
        headers: from(address),
      });
    const first = [];
    for (let i = 0; i < 5; i++) first.push((await attempt('203.0.113.7')).status);
    expect(first).toEqual([401, 401, 401, 429, 429]);
    // Another client behind the same nginx still has its budget.
    expect((await attempt('198.51.100.8')).status).toBe(401);
  });
});
