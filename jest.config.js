/** @type {import('jest').Config} */
const { createCjsPreset } = require('jest-preset-angular/presets');

// swc instead of ts-jest: an order of magnitude faster, and it emits the decorator metadata Nest's DI reads.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

/**
 * ES-module-only packages the API loads with Node 24's require(): jest's loader does not, so swc
 * turns them into CommonJS. file-type names its Node entry only under `import` and `module-sync`,
 * conditions jest's resolver does not use, hence the mapping.
 */
const ESM_PACKAGES = ['file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', '@borewit'];
const esmTransform = {
  [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
    '@swc/jest',
    { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};

const moduleNameMapper = {
  '^@chat/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@chat/sdk$': '<rootDir>/libs/sdk/src/index.ts',
  '^@chat/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  '^file-type$': '<rootDir>/node_modules/file-type/index.js',
};

const common = {
  rootDir: __dirname,
  transform: { ...transform, ...esmTransform },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  // Global, not per project: jest ignores testTimeout inside `projects`.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/api/src/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/tools/**/*.spec.ts',
        '<rootDir>/deploy/**/*.spec.ts',
      ],
    },
    {
      // Angular needs its own compiler (templates, signals inputs): jest-preset-angular, in jsdom.
      ...createCjsPreset({ tsconfig: '<rootDir>/web-angular/tsconfig.spec.json' }),
      rootDir: __dirname,
      displayName: 'web',
      moduleNameMapper,
      setupFilesAfterEnv: ['<rootDir>/web-angular/setup-jest.ts'],
      testMatch: ['<rootDir>/web-angular/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: [
        '<rootDir>/api/test/**/*.e2e-spec.ts',
        '<rootDir>/web-angular/e2e/**/*.e2e-spec.ts',
        '<rootDir>/tools/loadgen/test/**/*.e2e-spec.ts',
        '<rootDir>/libs/sdk/test/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/api/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/api/test/support/global-teardown.ts',
      slowTestThreshold: 20,
    },
  ],
};
