#!/usr/bin/env node
// @ts-check
/**
 * Builds the API (nest) and the web app (ng, then brotli and gzip copies of its text files).
 *
 *   node scripts/build.js [api] [web] [--changed]
 *
 * After a build, each target's output directory holds a stamp: the SHA-256 of the target's inputs
 * (sources, tsconfigs, the lock file, this script) read before the build started. With --changed, a
 * target whose stamp matches its inputs is skipped. nest and ng empty their output directory before
 * building, so a build made any other way removes the stamp and can never pass for an up-to-date one.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const STAMP = '.inputs-sha256';
const SHARED_INPUTS = [
  'libs',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.json',
  'scripts/build.js',
];

/** @typedef {{ inputs: string[], output: string, command: string[], after?: () => Promise<void> }} Target */

/** @type {Record<string, Target>} */
const TARGETS = {
  api: {
    inputs: ['api/src', 'api/tsconfig.app.json', 'nest-cli.json', ...SHARED_INPUTS],
    output: 'dist/api',
    command: [require.resolve('@nestjs/cli/bin/nest.js'), 'build', 'api'],
  },
  web: {
    inputs: [
      'web-angular/src',
      'web-angular/public',
      'web-angular/tsconfig.app.json',
      'angular.json',
      ...SHARED_INPUTS,
    ],
    output: 'dist/web-angular',
    command: [require.resolve('@angular/cli/bin/ng.js'), 'build', 'web-angular'],
    after: () => compressWebApp(path.join(ROOT, 'dist/web-angular/browser')),
  },
};

/** Every file under the given paths, relative to the root, sorted. */
function listFiles(/** @type {string[]} */ inputs) {
  /** @type {string[]} */
  const files = [];
  const visit = (/** @type {string} */ relative) => {
    const absolute = path.join(ROOT, relative);
    if (!fs.existsSync(absolute)) return;
    if (!fs.statSync(absolute).isDirectory()) return void files.push(relative);
    for (const entry of fs.readdirSync(absolute)) {
      if (entry !== 'node_modules' && entry !== 'dist') visit(path.join(relative, entry));
    }
  };
  inputs.forEach(visit);
  return files.sort();
}

function inputsHash(/** @type {Target} */ target) {
  const hash = createHash('sha256');
  for (const file of listFiles(target.inputs)) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const stampFile = (/** @type {Target} */ target) => path.join(ROOT, target.output, STAMP);

function isUpToDate(/** @type {Target} */ target, /** @type {string} */ hash) {
  try {
    return fs.readFileSync(stampFile(target), 'utf8').trim() === hash;
  } catch {
    return false;
  }
}

/** The files a browser downloads as text, worth sending compressed. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|xml|ico|webmanifest|map)$/;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes `<file>.br` and `<file>.gz` beside every compressible file the web build produced, at the
 * strongest settings (done once per build, not per request); the API serves them (api/src/web-app.ts).
 * A copy that would not be smaller is not written.
 */
async function compressWebApp(/** @type {string} */ directory) {
  const files = listFiles([path.relative(ROOT, directory)]).filter((file) => COMPRESSIBLE.test(file));
  await Promise.all(
    files.map(async (relative) => {
      const file = path.join(ROOT, relative);
      const content = fs.readFileSync(file);
      const [br, gz] = await Promise.all([
        brotli(content, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
        gzip(content, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      if (br.length < content.length) fs.writeFileSync(`${file}.br`, br);
      if (gz.length < content.length) fs.writeFileSync(`${file}.gz`, gz);
    }),
  );
}

/**
 * Builds the named targets (all when none), in order; with onlyChanged, skips those whose inputs
 * have not changed since their last build. Exits the process if a build tool fails.
 * @param {string[]} names
 * @param {{ onlyChanged?: boolean }} [options]
 */
async function build(names, { onlyChanged = false } = {}) {
  for (const name of names.length > 0 ? names : Object.keys(TARGETS)) {
    const target = TARGETS[name];
    if (!target)
      throw new Error(`unknown build target "${name}" (known: ${Object.keys(TARGETS).join(', ')})`);
    const hash = inputsHash(target);
    if (onlyChanged && isUpToDate(target, hash)) continue;
    // The Node that runs this script (the project's own, under npm) runs the build tools too.
    const built = spawnSync(process.execPath, target.command, { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
    await target.after?.();
    fs.writeFileSync(stampFile(target), `${hash}\n`);
  }
}

/**
 * The named targets a `--changed` build would rebuild now.
 * @param {string[]} names
 */
function staleTargets(names) {
  return names.filter((name) => !isUpToDate(TARGETS[name], inputsHash(TARGETS[name])));
}

module.exports = { build, staleTargets };

if (require.main === module) {
  const args = process.argv.slice(2);
  build(
    args.filter((arg) => !arg.startsWith('--')),
    { onlyChanged: args.includes('--changed') },
  ).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
