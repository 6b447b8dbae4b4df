import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { configTable } from './env-var';
import { ENVIRONMENT } from './env.validation';

const BEGIN = '<!-- config-table:begin (generated: node scripts/config-table.js) -->';
const END = '<!-- config-table:end -->';

describe("README's configuration table", () => {
  it('is the one generated from the config schema (npm run build:api && node scripts/config-table.js)', () => {
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + BEGIN.length, end).trim()).toBe(configTable(ENVIRONMENT));
  });
});
