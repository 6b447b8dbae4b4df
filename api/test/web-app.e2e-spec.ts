import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { IncomingHttpHeaders, get } from 'node:http';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { CLUSTER_START_TIMEOUT_MS, Cluster, startTestCluster } from './support/cluster';
import { TestApp, startTestApp } from './support/test-app';

const BROWSER_BUILD = resolve(__dirname, '../../dist/web-angular/browser');

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes on the wire, not decoded (fetch would decompress them). */
  body: Buffer;
}

function getRaw(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolveResponse, reject) => {
    get(url, { headers, agent: false, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolveResponse({
          status: response.statusCode!,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    })
      .on('timeout', function (this: { destroy(error: Error): void }) {
        this.destroy(new Error(`no answer from ${url}`));
      })
      .on('error', reject);
  });
}

/** The largest script index.html loads: the one the issue measured at 328 KB uncompressed. */
function largestInitialScript(): string {
  if (!existsSync(join(BROWSER_BUILD, 'index.html')))
    throw new Error(`${BROWSER_BUILD} is missing: run "npm run build:web" (npm test does it)`);
  const index = readFileSync(join(BROWSER_BUILD, 'index.html'), 'utf8');
  const scripts = [...index.matchAll(/(?:src|href)="([\w-]+\.js)"/g)].map((match) => match[1]);
  const size = (file: string) => readFileSync(join(BROWSER_BUILD, file)).length;
  return scripts.sort((a, b) => size(b) - size(a))[0];
}

/** The web app as `npm run build` leaves it: served by the real application. */
describe('web app assets', () => {
  let app: TestApp;
  let mainChunk: string;

  beforeAll(async () => {
    mainChunk = largestInitialScript();
    app = await startTestApp({ WEB_DIST_DIR: BROWSER_BUILD });
  });
  afterAll(() => app?.close());

  it('the build writes a brotli and a gzip copy beside every script, style sheet and index.html', () => {
    const files = readdirSync(BROWSER_BUILD).filter((file) => /\.(js|css|html)$/.test(file));
    expect(files).toContain('index.html');
    for (const file of files) {
      const original = readFileSync(join(BROWSER_BUILD, file));
      if (original.length < 1024) continue;
      expect(brotliDecompressSync(readFileSync(join(BROWSER_BUILD, `${file}.br`)))).toEqual(original);
      expect(gunzipSync(readFileSync(join(BROWSER_BUILD, `${file}.gz`)))).toEqual(original);
    }
  });

  it.each([
    ['br', 'br, gzip, deflate', brotliDecompressSync],
    ['gzip', 'gzip, deflate', gunzipSync],
  ])(
    'sends a hashed chunk as %s to a browser that accepts it, cached for good',
    async (encoding, accepted, decode) => {
      const original = readFileSync(join(BROWSER_BUILD, mainChunk));
      const response = await getRaw(`${app.url}/${mainChunk}`, { 'accept-encoding': accepted });
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(response.headers['content-type']).toMatch(/^(application|text)\/javascript; charset=utf-8$/i);
      expect(response.headers.vary).toMatch(/accept-encoding/i);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(Number(response.headers['content-length'])).toBe(response.body.length);
      expect(response.body.length).toBeLessThan(original.length / 2);
      expect(decode(response.body)).toEqual(original);
    },
  );

  it('sends the chunk as it is to a client that accepts no compression', async () => {
    const response = await getRaw(`${app.url}/${mainChunk}`, { 'accept-encoding': 'identity' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toEqual(readFileSync(join(BROWSER_BUILD, mainChunk)));
  });

  it.each(['/', '/rooms/some-room'])(
    'sends index.html (at %s) compressed and revalidated on every visit',
    async (path) => {
      const response = await getRaw(`${app.url}${path}`, { accept: 'text/html', 'accept-encoding': 'br' });
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(brotliDecompressSync(response.body)).toEqual(readFileSync(join(BROWSER_BUILD, 'index.html')));
    },
  );

  it('revalidates a file whose name carries no content hash', async () => {
    const response = await getRaw(`${app.url}/favicon.svg`, { 'accept-encoding': 'br, gzip' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(response.headers['cache-control']).toBe('no-cache');
  });
});

/** nginx from docker/nginx.conf.template in front of a built instance (which serves dist/web-angular). */
describe('web app and API through the load balancer', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startTestCluster(1, 'redis');
  }, CLUSTER_START_TIMEOUT_MS);
  afterAll(() => cluster?.close());

  it("compresses the API's JSON with gzip", async () => {
    const response = await getRaw(`${cluster.url}/api/docs-json`, { 'accept-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(gunzipSync(response.body).toString('utf8'))).toMatchObject({
      openapi: expect.any(String),
    });
  });

  it("passes the web app's brotli through with its caching headers", async () => {
    const chunk = largestInitialScript();
    const response = await getRaw(`${cluster.url}/${chunk}`, { 'accept-encoding': 'br, gzip' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(response.body)).toEqual(readFileSync(join(BROWSER_BUILD, chunk)));
  });
});
