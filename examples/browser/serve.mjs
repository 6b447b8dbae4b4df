// Serves index.html and the SDK's browser module, built from the repository's source the way
// `npm pack` builds dist/chat-sdk.browser.mjs.
//
//   node examples/browser/serve.mjs [port] [host]   then open http://localhost:8080/?api=http://localhost:3000
//
// The API must allow this page's origin: CORS_ORIGINS=http://localhost:8080 (any origin in development).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const esbuild = require('esbuild');
const { browserBundleOptions } = require('../../scripts/build-package.js');

async function serveExample(port, host) {
  const built = await esbuild.build({
    ...browserBundleOptions(join(here, '../../libs/sdk'), 'chat-sdk.browser.mjs'),
    write: false,
    sourcemap: false,
  });
  const files = {
    '/': { type: 'text/html', body: await readFile(join(here, 'index.html')) },
    '/chat-sdk.browser.mjs': { type: 'text/javascript', body: built.outputFiles[0].contents },
  };
  const server = createServer((request, response) => {
    const file = files[new URL(request.url, 'http://localhost').pathname];
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  return server;
}

const host = process.argv[3] ?? 'localhost';
const server = await serveExample(Number(process.argv[2] ?? 8080), host);
process.stdout.write(`http://${host}:${server.address().port}/?api=http://localhost:3000\n`);
