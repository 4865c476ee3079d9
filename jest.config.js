/* global process */
// Three tiers, selected by file suffix so each can run alone:
//   unit (*.unit.test.ts): pure logic, no I/O
//   int  (*.int.test.ts):  one real component of the native stack
//   e2e  (*.e2e.test.ts):  the whole pipeline
// The global setup starts the native stack (or reuses a running one) unless only
// unit tests are selected.
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  // jose 6 and hyparquet(-writer) ship only ES modules, and jest loads CommonJS: compile them too.
  '^.+/node_modules/(jose|hyparquet|hyparquet-writer)/.+\\.js$': [
    '@swc/jest',
    { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const tier = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  // Never crawl .stack/ (data dirs hold files jest would take for snapshots).
  roots: [
    '<rootDir>/services',
    '<rootDir>/stack',
    '<rootDir>/test',
    '<rootDir>/migrations',
    '<rootDir>/bench',
    '<rootDir>/tools',
  ],
  transform,
  transformIgnorePatterns: ['/node_modules/(?!(jose|hyparquet|hyparquet-writer)/)'],
  testMatch: [`<rootDir>/{services,stack,test,migrations,bench,tools}/**/*.${name}.test.ts`],
  ...extra,
});
// Jest runs a project's globalSetup only when a test of that project is selected. It never
// fails the run: what it cannot bring (the stack, Chromium) fails the files that need it, at once.
const needsStack = {
  globalSetup: '<rootDir>/test/global-setup.ts',
  setupFiles: ['<rootDir>/test/stack-required.setup.ts'],
};

// The cluster tier (*.cluster.test.ts) needs the cluster profile, which cannot run beside the
// light one: only `npm run test:cluster` (DEEDSTREAM_TEST_CLUSTER=1) includes it.
const clusterTier = tier('cluster', {
  globalSetup: '<rootDir>/test/cluster-setup.ts',
  setupFiles: ['<rootDir>/test/cluster.setup.ts'],
});

module.exports = {
  projects: [
    tier('unit'),
    tier('int', needsStack),
    tier('e2e', needsStack),
    ...(process.env.DEEDSTREAM_TEST_CLUSTER === '1' ? [clusterTier] : []),
  ],
  // Every run: a promise rejection nobody handles between files fails the run after the
  // summary instead of ending jest (test/support/late-rejections.ts).
  globalSetup: '<rootDir>/test/run-setup.ts',
  globalTeardown: '<rootDir>/test/run-teardown.ts',
  // A global option in jest (projects cannot set it): int/e2e tests wait on real components.
  testTimeout: 120_000,
  // Tests start services, consumers and child processes; a handle one of them leaks must not
  // keep CI waiting after the last test. `npx jest --detectOpenHandles <file>` finds the leak.
  forceExit: true,
};
