/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `npm run typecheck`; jest only transpiles.
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 120_000,
  // One test file at a time (scripts/test: --maxWorkers=1), in a worker process that jest replaces
  // once its heap passes this after a file: in one process the heap grew past 3 GB over the suite.
  workerIdleMemoryLimit: '1.5GB',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
};
