/**
 * Unit specs sit next to the code; e2e specs under test/ boot the real app on the embedded database;
 * browser specs (test/browser) also drive chromium against the built web apps (`pretest` builds them).
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }] };
const common = { testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'], transform };

module.exports = {
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/embedded-db/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testTimeout: 60000,
    },
    {
      ...common,
      displayName: 'browser',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      testTimeout: 120000,
    },
  ],
};
