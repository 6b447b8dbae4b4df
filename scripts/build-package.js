#!/usr/bin/env node
/**
 * Builds the workspace package in the current directory (`npm run build -w @chat/sdk`, and `npm pack`
 * through `prepack`) from `src/index.ts` into `dist/`:
 *   index.mjs + index.d.mts   for `import`   (ES module)
 *   index.cjs + index.d.cts   for `require`  (CommonJS)
 * esbuild bundles each format into one file, so the source keeps its extensionless relative imports
 * (tsc's output would keep them too, and Node's ES module loader cannot resolve those). Dependencies and
 * peer dependencies stay imports, resolved by the consumer's package manager. rollup-plugin-dts bundles
 * the declarations the same way; two copies with the module-format extension let TypeScript read each
 * entry point in the format Node will load it in.
 *
 * Options: `--copy FILE` copies a file of src/ into dist/ (the AsyncAPI document);
 *          `--browser NAME` also writes dist/NAME, one self-contained minified ES module with every
 *          dependency inside, for a page without a bundler (`<script type="module">`);
 *          `--clean` only removes dist/.
 *
 * `prepack` builds and `postpack` cleans, so dist/ exists only while a tarball is made. It must not
 * linger: Nest's compiler leaves an aliased import such as `@chat/contracts` as it is when node_modules
 * resolves it (nest-cli#838, "installed packages take precedence"), and through the workspace link a
 * built package would make the compiled API load that build, stale or not, instead of the source.
 */
const { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { basename, join, resolve } = require('node:path');
const { parseArgs } = require('node:util');
const esbuild = require('esbuild');
const { rollup } = require('rollup');
const { dts } = require('rollup-plugin-dts');

const ROOT = resolve(__dirname, '..');

async function buildPackage(dir, { copy = [], browser, outDir = join(dir, 'dist') } = {}) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const external = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  const isExternal = (id) => external.some((name) => id === name || id.startsWith(`${name}/`));
  const entry = join(dir, 'src/index.ts');
  const tsconfig = tsconfigOf(dir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const common = {
    entryPoints: [entry],
    bundle: true,
    external,
    platform: 'neutral',
    target: 'es2022',
    tsconfig,
    sourcemap: true,
    logLevel: 'warning',
  };
  await esbuild.build({ ...common, format: 'esm', outfile: join(outDir, 'index.mjs') });
  await esbuild.build({ ...common, format: 'cjs', outfile: join(outDir, 'index.cjs') });
  if (browser) await esbuild.build(browserBundleOptions(dir, join(outDir, browser)));

  const bundle = await rollup({
    input: entry,
    external: isExternal,
    plugins: [
      dts({ tsconfig, compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true } }),
    ],
  });
  await bundle.write({ file: join(outDir, 'index.d.mts'), format: 'es' });
  await bundle.write({ file: join(outDir, 'index.d.cts'), format: 'es' });
  await bundle.close();

  for (const file of copy) copyFileSync(join(dir, 'src', file), join(outDir, basename(file)));
}

/** The self-contained browser build: every dependency inside, resolved with the browser's conditions. */
function browserBundleOptions(dir, outfile) {
  return {
    entryPoints: [join(dir, 'src/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    tsconfig: tsconfigOf(dir),
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    outfile,
  };
}

/** The library's own tsconfig maps @chat/contracts to its source, which the browser bundle includes. */
function tsconfigOf(dir) {
  const own = join(dir, 'tsconfig.lib.json');
  return existsSync(own) ? own : join(ROOT, 'tsconfig.base.json');
}

module.exports = { buildPackage, browserBundleOptions };

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      copy: { type: 'string', multiple: true },
      browser: { type: 'string' },
      clean: { type: 'boolean' },
    },
  });
  if (values.clean) {
    rmSync(join(process.cwd(), 'dist'), { recursive: true, force: true });
    process.exit(0);
  }
  buildPackage(process.cwd(), values).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
