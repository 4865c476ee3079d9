import { spawn } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const ports = { PROPERTY_PORT: '0', SEARCH_PORT: '0', PEOPLE_PORT: '0', PAYMENT_PORT: '0' };

/** Runs `npm run service -- <name>` as a process with this environment; its exit status and stderr. */
function serve(name: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repo, 'node_modules', '.bin', 'tsx'), ['services/serve.ts', name], {
      cwd: repo,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (status) => resolve({ status, stderr }));
  });
}

/** DEEDSTREAM_DEPLOYMENT=production: every local development secret stops the process, in one line. */
describe('development secrets in production', () => {
  const { KEYSTORE_MASTER_KEY: _key, DATABASE_SERVICE_PASSWORD: _password, ...environment } = process.env;
  const production = { ...environment, ...ports, DEEDSTREAM_DEPLOYMENT: 'production' };

  it.each(['property', 'search', 'people'])('%s refuses the public development master key', async (name) => {
    const run = await serve(name, { ...production, DATABASE_SERVICE_PASSWORD: 'a-password-of-its-own' });
    expect(run.status).toBe(78);
    expect(run.stderr.trim()).toBe(
      `${name}: KEYSTORE_MASTER_KEY is the public development key, which DEEDSTREAM_DEPLOYMENT=production refuses: set a key of your own (openssl rand -base64 32)`,
    );
  });

  it.each(['payment', 'property'])(
    "%s refuses the local stack's password of its database role",
    async (name) => {
      const run = await serve(name, {
        ...production,
        KEYSTORE_MASTER_KEY: 'bXktb3duLWtleS1vZi0zMi1ieXRlcy1leGFjdGx5ISE=',
      });
      expect(run.status).toBe(78);
      expect(run.stderr.trim()).toBe(
        `${name}: DATABASE_SERVICE_PASSWORD is not set: DEEDSTREAM_DEPLOYMENT=production refuses the local stack's password of role deedstream_${name}`,
      );
    },
  );
});
