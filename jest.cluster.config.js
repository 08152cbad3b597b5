// Jest for the cluster suite (`npm run test:cluster`): the main config's transforms, the specs in test/cluster, run
// one at a time (the faults stop and start the processes every spec shares) against scripts/cluster.sh's cluster.
const { projects, ...base } = require('./jest.config.js');
const { testEnvironment, transform, transformIgnorePatterns } = projects[0];

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testEnvironment,
  transform,
  transformIgnorePatterns,
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
