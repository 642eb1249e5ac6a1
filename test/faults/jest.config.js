// The fault suite (npm run test:faults): its own jest run, one scenario file at a time, no coverage.
const base = require('../../package.json').jest;

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault.ts'],
  coverageThreshold: undefined,
  collectCoverage: false,
  testTimeout: 900_000,
};
