import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../stack/paths';

/** Runs `npm run privacy -- <args>` as a process, as an operator would (for the CLI's tests). */
export function runPrivacyCli(args: string[]): { status: number; out: string; err: string } {
  const result = spawnSync(
    path.join(repoRoot, 'node_modules/.bin/tsx'),
    ['services/cli/privacy.ts', ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: process.env,
      timeout: 300_000,
    },
  );
  return { status: result.status ?? -1, out: result.stdout, err: result.stderr };
}
