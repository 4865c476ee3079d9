import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { decodeJwt } from 'jose';

const repoRoot = path.resolve(__dirname, '../..');

function token(
  args: string[],
  env: Record<string, string> = {},
): { status: number; out: string; err: string } {
  const result = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), ['services/cli/token.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: result.status ?? -1, out: result.stdout, err: result.stderr };
}

describe('npm run token (against the local Keycloak realm)', () => {
  it('prints only the access token of the user, for the deedstream-cli client', () => {
    const result = token(['seller1']);
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = decodeJwt(result.out.trim());
    expect(claims).toMatchObject({ preferred_username: 'seller1', azp: 'deedstream-cli' });
  });

  it('fails with one line naming the problem, never the password, on a wrong password', () => {
    const result = token(['seller1', '--password', 'not-the-password-42']);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toContain('password is wrong');
    expect(result.err).not.toContain('not-the-password-42');
  });

  it('fails with one line when the issuer cannot be reached', () => {
    // Port 9 (discard) is never served on the stack's machine.
    const result = token(['seller1'], { OIDC_ISSUER_URL: 'http://127.0.0.1:9/realms/deedstream' });
    expect(result.status).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toContain('cannot reach the OIDC issuer at http://127.0.0.1:9/realms/deedstream');
  });
});
