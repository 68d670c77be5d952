// One jest config for the whole tree. ESM all the way: NestJS 12 ships ESM only, so jest runs with
// --experimental-vm-modules (see package.json) and @swc/jest emits ES modules with decorator metadata.
import { readFileSync } from 'node:fs';

const swcrc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swcrc.$schema;

const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: {
    '^@lucy/(contracts|messaging|platform|resilience|runtime-config|testing)$': '<rootDir>/libs/$1/src/index.ts',
    // The sandbox app's entry point, for test code only (ESLint keeps it there: eslint.config.js).
    '^@lucy/sandbox$': '<rootDir>/apps/sandbox/src/sandbox.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

export default {
  // Integration tests talk to real services and wait for states with deadlines of their own.
  testTimeout: 60_000,
  globalSetup: '<rootDir>/tools/jest-global-setup.js',
  reporters: ['default', '<rootDir>/tools/summary-reporter.js'],
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
    },
    { ...base, displayName: 'int', testMatch: ['<rootDir>/{apps,libs}/**/test/**/*.int.spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.e2e.spec.ts'] },
  ],
};
