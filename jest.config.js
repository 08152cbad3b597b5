// Jest runs unit tests (pure code, no servers) and integration tests (real Temporal, PostgreSQL and receivers).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages'],
  // The cluster suite runs against scripts/cluster.sh's cluster, through jest.cluster.config.js.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  testMatch: ['**/*.test.ts'],
  // kysely and jose ship only ES modules; Node 24 can require() them, jest's module registry cannot, so swc converts them.
  transform: { '^.+\\.ts$': ['@swc/jest'], '/node_modules/(kysely|jose)/.+\\.js$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(kysely|jose)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // The Temporal native bridge keeps a handle open after workers shut down.
  forceExit: true,
  maxWorkers: 2,
};
