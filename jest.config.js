// Three tiers, selected by file suffix so each can run alone:
//   unit (*.unit.test.ts): pure logic, no I/O
//   int  (*.int.test.ts):  one real component of the native stack
//   e2e  (*.e2e.test.ts):  the whole pipeline
// The global setup starts the native stack (or reuses a running one) unless only
// unit tests are selected.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const tier = (name, timeout) => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/{services,stack,test,migrations,bench}/**/*.${name}.test.ts`],
  ...(timeout ? { testTimeout: timeout } : {}),
});

module.exports = {
  projects: [tier('unit'), tier('int'), tier('e2e')],
  globalSetup: '<rootDir>/test/global-setup.ts',
};
