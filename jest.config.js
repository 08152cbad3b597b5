// Jest's tiers: unit (pure code, no servers), workflows (replay and the workflow sandbox), integration (real Temporal,
// PostgreSQL and receivers) and browser (real Chromium). `npm test` runs them all; `npm run test:unit` and friends one.
const shared = {
  testEnvironment: 'node',
  // kysely and jose ship only ES modules; Node 24 can require() them, jest's module registry cannot, so swc converts them.
  transform: { '^.+\\.ts$': ['@swc/jest'], '/node_modules/(kysely|jose)/.+\\.js$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(kysely|jose)/)'],
};
// The servers every tier but unit needs, started once for the run however many of those tiers it selects.
const servers = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit', '<rootDir>/packages'], testMatch: ['**/*.test.ts'] },
    { ...shared, ...servers, displayName: 'workflows', roots: ['<rootDir>/test/workflows'], testMatch: ['**/*.test.ts'] },
    { ...shared, ...servers, displayName: 'integration', roots: ['<rootDir>/test/integration'], testMatch: ['**/*.test.ts'] },
    { ...shared, ...servers, displayName: 'browser', roots: ['<rootDir>/test/browser'], testMatch: ['**/*.test.ts'] },
  ],
  testTimeout: 60_000,
  // The Temporal native bridge keeps a handle open after workers shut down.
  forceExit: true,
  maxWorkers: 2,
};
