import * as esbuild from 'esbuild';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from 'playwright-core';

import { BuiltApp, startBuiltApp } from '../../../api/test/support/built-app';
import { EventRecorder } from '../../../api/test/support/events';
import {
  RUN_DATABASE_URL_VAR,
  RUN_REDIS_PREFIX_VAR,
  TEST_REDIS_URL,
} from '../../../api/test/support/test-env';
import { registerUser } from '../../../api/test/support/users';
import { launchBrowser } from '../../../web-angular/e2e/support/browser';
import { REPO_ROOT } from './support/consumer-project';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { browserBundleOptions } = require('../../../scripts/build-package.js') as {
  browserBundleOptions: (dir: string, outfile: string) => esbuild.BuildOptions;
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The SDK's self-contained browser build (dist/chat-sdk.browser.mjs of the package), as built by `npm pack`. */
describe('the SDK bundled for the browser', () => {
  let result: esbuild.BuildResult<{ metafile: true; write: false }>;

  beforeAll(async () => {
    const options = browserBundleOptions(join(REPO_ROOT, 'libs/sdk'), 'chat-sdk.browser.mjs');
    result = await esbuild.build({ ...options, write: false, metafile: true, sourcemap: false });
  });

  it('imports nothing: no Node built-in, and no package left for the page to resolve', () => {
    const [output] = Object.values(result.metafile.outputs);
    expect(output.imports.map((entry) => entry.path)).toEqual([]);
    const reached = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
    expect(reached.filter((entry) => NODE_BUILTINS.has(entry.path))).toEqual([]);
    expect(result.outputFiles[0].text).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b|"node:/);
  });

  it("takes socket.io's browser transports (fetch/XHR/WebSocket), not its Node ones (ws, xmlhttprequest-ssl)", () => {
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => /node_modules\/(ws|xmlhttprequest-ssl)\//.test(path))).toEqual([]);
    expect(inputs).toContain('node_modules/engine.io-client/build/esm/transports/websocket.js');
    expect(inputs.some((path) => path.startsWith('libs/contracts/src/'))).toBe(true);
    expect(inputs.some((path) => path.startsWith('libs/sdk/src/'))).toBe(true);
  });
});

/** examples/browser: the plain page on the browser module, in Chromium, against a live instance. */
describe('the plain HTML example (examples/browser)', () => {
  let app: BuiltApp;
  let pageServer: ChildProcess;
  let pageUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    pageServer = spawn(process.execPath, [join(REPO_ROOT, 'examples/browser/serve.mjs'), '0', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const printed = new Promise<string>((resolveUrl, reject) => {
      const exited = (code: number | null) => reject(new Error(`serve.mjs exited with ${code}`));
      pageServer.once('exit', exited);
      pageServer.stdout!.once('data', (chunk: Buffer) => {
        pageServer.off('exit', exited);
        resolveUrl(chunk.toString().split('?')[0]);
      });
    });
    // Awaited below; if something else fails first it must not surface as an unhandled rejection.
    printed.catch(() => undefined);
    // One at a time, each assigned as soon as it exists, so afterAll stops whatever started.
    app = await startBuiltApp({
      NODE_ENV: 'test',
      DATABASE_URL: process.env[RUN_DATABASE_URL_VAR],
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:browser-example`,
      JWT_SECRET: 'browser-example-e2e-secret-long-enough-for-hs256',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chat-browser-example-')),
      WEB_DIST_DIR: '/nonexistent',
      LOG_LEVEL: 'warn',
    });
    browser = await launchBrowser();
    pageUrl = await printed;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    pageServer?.kill('SIGTERM');
    await app?.stop();
  });

  it('signs in, shows the history and live messages in order, and sends', async () => {
    const alice = await registerUser(app.url, 'pagealice');
    const bob = await registerUser(app.url, 'pagebob');
    const room = await bob.client.http.createRoom({ name: 'plain page', visibility: 'public' });
    const bobSocket = bob.client.socket();
    await bobSocket.connect();
    await bobSocket.join(room.id);
    const bobInbox = new EventRecorder(bobSocket, 'message:new');
    await bobSocket.send(room.id, 'said before you came');

    const tab = await browser.newPage();
    try {
      await tab.goto(`${pageUrl}?api=${encodeURIComponent(app.url)}`);
      await tab.getByLabel('Username').fill(alice.username);
      await tab.getByLabel('Password').fill('correct horse battery');
      await tab.getByLabel('Room id').fill(room.id);
      await tab.getByRole('button', { name: 'Sign in and join' }).click();
      await tab.getByRole('status').filter({ hasText: 'Connection: online' }).waitFor({ timeout: 10_000 });
      const messages = tab.getByRole('list', { name: 'Messages' }).getByRole('listitem');
      await messages.first().waitFor({ timeout: 10_000 });

      await bobSocket.send(room.id, 'live from node');
      await tab.getByRole('textbox', { name: 'Message' }).fill('hello from the page');
      await tab.getByRole('button', { name: 'Send' }).click();
      const fromPage = await bobInbox.next((message) => message.body === 'hello from the page', 'the page');
      expect(fromPage.sender.id).toBe(alice.id);
      await messages.nth(2).waitFor({ timeout: 10_000 });
      expect(await messages.allTextContents()).toEqual([
        `${bob.username}: said before you came`,
        `${bob.username}: live from node`,
        `${alice.username}: hello from the page`,
      ]);
    } finally {
      await tab.close();
      bobSocket.disconnect();
    }
  }, 60_000);
});
