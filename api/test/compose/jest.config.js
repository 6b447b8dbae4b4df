/**
 * The docker-compose suite: run by scripts/test-compose.sh (npm run test:compose) once the stack is up,
 * never by `npm test` (its files end in .compose-spec.ts, which no project of the root config matches).
 */
const root = require('../../../jest.config.js');
const unit = root.projects.find((project) => project.displayName === 'unit');

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  displayName: 'compose',
  testMatch: ['<rootDir>/api/test/compose/**/*.compose-spec.ts'],
  testTimeout: 60_000,
  // One stack, changed by the tests (kill, scale): in order, in one worker.
  maxWorkers: 1,
};
