import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

/** Runs the probe in a fresh process (the tracer provider is process-wide) and reads its report. */
function probe(env: Record<string, string>) {
  const run = spawnSync(path.join(repo, 'node_modules', '.bin', 'tsx'), ['test/support/tracing-probe.ts'], {
    cwd: repo,
    // Nowhere to export to: the probe records one span and must not wait on a real backend.
    env: { ...process.env, ZIPKIN_URL: 'http://127.0.0.1:9/api/v2/spans', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(run.stdout.trim()) as Record<string, unknown>;
}

describe('tracing in a service process', () => {
  it('with TRACING_ENABLED=false starts no SDK, loads none of it and patches nothing', () => {
    expect(probe({ TRACING_ENABLED: 'false' })).toEqual({
      started: false,
      spanRecording: false,
      sdkModules: 0,
      httpPatched: false,
      pgPatched: false,
      kafkajsPatched: false,
    });
  });

  it('on (the default) starts the SDK, records spans and patches nothing', () => {
    expect(probe({})).toEqual({
      started: true,
      spanRecording: true,
      sdkModules: expect.any(Number),
      httpPatched: false,
      pgPatched: false,
      kafkajsPatched: false,
    });
  });

  it('refuses an invalid setting with one line naming the variable', () => {
    const run = spawnSync(path.join(repo, 'node_modules', '.bin', 'tsx'), ['services/serve.ts', 'property'], {
      cwd: repo,
      env: { ...process.env, TRACING_ENABLED: 'yes' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr.trim()).toBe(
      'property: invalid configuration: TRACING_ENABLED="yes": expected true or false',
    );
  });
});
