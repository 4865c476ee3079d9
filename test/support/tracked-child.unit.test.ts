import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The harness's promise: a child process that dies fails the file that started it, with
 * its last lines, and nothing else; the run goes on and ends with jest's summary. Proved by
 * running jest itself on the fixtures in test/support/fixtures/, as `npm test` would.
 */
const repo = path.resolve(__dirname, '../..');

function jestOn(testMatch: string): { status: number | null; output: string } {
  const config = {
    rootDir: repo,
    // Only the fixtures' folder: never crawl .stack/ (data files look like obsolete snapshots).
    roots: ['<rootDir>/test/support/fixtures'],
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    testMatch: [testMatch],
    globalSetup: '<rootDir>/test/run-setup.ts',
    globalTeardown: '<rootDir>/test/run-teardown.ts',
    forceExit: true,
    testTimeout: 60_000,
  };
  const run = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      '--config',
      JSON.stringify(config),
      '--runInBand',
      '--ci',
      '--colors=false',
    ],
    { cwd: repo, encoding: 'utf8', timeout: 90_000 },
  );
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('a child process that dies under a test', () => {
  const run = jestOn('<rootDir>/test/support/fixtures/*.fixture.ts');

  it('fails the file that started it, and no other; jest ends with its summary', () => {
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/Test Suites: 2 failed, 1 passed, 3 total/);
    expect(run.output).toMatch(/FAIL .*child-dies-at-start\.fixture\.ts/);
    expect(run.output).toMatch(/FAIL .*child-dies-later\.fixture\.ts/);
    expect(run.output).toMatch(/PASS .*child-stopped\.fixture\.ts/);
  });

  it('names the child, how it died and its last lines', () => {
    expect(run.output).toMatch(
      /dies-at-start \(pid \d+\) killed by SIGKILL; its last lines:\s+about to be killed/,
    );
    expect(run.output).toContain('(while waiting for it to be ready)');
    expect(run.output).toMatch(
      /dies-later \(pid \d+\) exited with 3; its last lines:\s+ready\s+dying on its own/,
    );
  });
});

describe('a promise rejection nobody handles between test files', () => {
  it('is written out and fails the run in the global teardown instead of ending the process', () => {
    // Outside jest: the net as the run's global setup and teardown use it, around a rejection.
    const script = `
      const { catchLateRejections, failOnLateRejections } = require('./test/support/late-rejections');
      catchLateRejections();
      Promise.reject(new Error('nobody handles this'));
      setTimeout(() => {
        try { failOnLateRejections(); console.log('no failure'); }
        catch (error) { console.log('teardown failed: ' + error.message.split('\\n')[0]); }
      }, 50);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('a promise rejected with no handler between test files');
    expect(run.stderr).toContain('nobody handles this');
    expect(run.stdout).toContain('teardown failed: 1 promise rejection(s) had no handler between test files');
  });
});
