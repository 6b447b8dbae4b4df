import * as esbuild from 'esbuild';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

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
