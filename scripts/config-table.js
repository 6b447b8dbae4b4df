#!/usr/bin/env node
/**
 * Rewrites the configuration table in README.md from the typed schema in api/src/config (each
 * variable's type, bounds, default and meaning are declared there, once). Reads the built API:
 * `npm run build:api && node scripts/config-table.js`. A unit test fails when the table is stale.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const README = resolve(ROOT, 'README.md');
const CONFIG = resolve(ROOT, 'dist/api/api/src/config');
const BEGIN = '<!-- config-table:begin (generated: node scripts/config-table.js) -->';
const END = '<!-- config-table:end -->';

const { ENVIRONMENT } = require(`${CONFIG}/env.validation.js`);
const { configTable } = require(`${CONFIG}/env-var.js`);

const readme = readFileSync(README, 'utf8');
const start = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (start === -1 || end < start) throw new Error(`README.md lacks the ${BEGIN} … ${END} markers`);
const next = `${readme.slice(0, start + BEGIN.length)}\n${configTable(ENVIRONMENT)}\n${readme.slice(end)}`;
writeFileSync(README, next);
console.log(next === readme ? 'README.md: table already up to date' : 'README.md: table rewritten');
