import { spawn } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

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

describe('the public development master key', () => {
  it.each(['property', 'search', 'people'])(
    '%s refuses to start with it when DEEDSTREAM_DEPLOYMENT=production, in one line',
    async (name) => {
      const { KEYSTORE_MASTER_KEY: _unset, ...withoutKey } = process.env;
      const run = await serve(name, {
        ...withoutKey,
        DEEDSTREAM_DEPLOYMENT: 'production',
        PROPERTY_PORT: '0',
        SEARCH_PORT: '0',
        PEOPLE_PORT: '0',
      });
      expect(run.status).toBe(78);
      expect(run.stderr.trim()).toBe(
        `${name}: KEYSTORE_MASTER_KEY is the public development key, which DEEDSTREAM_DEPLOYMENT=production refuses: set a key of your own (openssl rand -base64 32)`,
      );
    },
  );
});
