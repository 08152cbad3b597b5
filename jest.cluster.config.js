// Jest for the cluster suite (`npm run test:cluster`): the main config's transforms, the specs in test/cluster, run
// one at a time (the faults stop and start the processes every spec shares) against scripts/cluster.sh's cluster.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 180_000,
  maxWorkers: 1,
};
