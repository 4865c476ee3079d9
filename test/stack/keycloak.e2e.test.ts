import { randomUUID } from 'node:crypto';
import { localIssuerUrl } from '../../services/shared/auth/auth-config';
import { passwordGrantToken } from '../../services/shared/auth/token-grants';
import { keycloak, keycloakIssuer } from '../../stack/components/keycloak';
import { stopDaemon } from '../../stack/process';
import { ownPid, status, up } from '../../stack/stack';
import { KeycloakAdmin, publishedKeyIds } from '../support/keycloak-admin';

/**
 * Keycloak keeps realms, users and signing keys in the stack's Postgres, so stopping and
 * starting it (as `down` + `up` do) loses none of them. Only Keycloak is restarted here.
 */
describe('Keycloak (native stack)', () => {
  it('serves the deedstream realm at the fixed issuer the services default to', () => {
    expect(keycloakIssuer).toBe(localIssuerUrl);
  });

  it('keeps users and signing keys across a stop and start', async () => {
    const admin = await KeycloakAdmin.signIn();
    const username = `restart-check-${randomUUID().slice(0, 8)}`;
    await admin.call('POST', '/deedstream/users', {
      username,
      enabled: true,
      emailVerified: true,
      email: `${username}@deedstream.test`,
      firstName: 'Restart',
      lastName: 'Check',
      credentials: [{ type: 'password', value: 'restart-check', temporary: false }],
    });
    const userId = await admin.userId('deedstream', username);
    const keysBefore = await publishedKeyIds('deedstream');
    expect(userId).toBeDefined();

    const pidBefore = ownPid(keycloak);
    await stopDaemon('keycloak', keycloak.stopSignal, 60_000);
    expect((await status()).find((s) => s.name === 'keycloak')?.state).toBe('stopped');
    await up({ quiet: true });
    expect(ownPid(keycloak)).not.toBe(pidBefore);

    const adminAfter = await KeycloakAdmin.signIn();
    try {
      expect(await adminAfter.userId('deedstream', username)).toBe(userId);
      expect((await publishedKeyIds('deedstream')).sort()).toEqual(keysBefore.sort());
      // The imported realm was left as it was, and its users still sign in.
      await expect(
        passwordGrantToken({
          issuerUrl: keycloakIssuer,
          clientId: 'deedstream-cli',
          username,
          password: 'restart-check',
        }),
      ).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    } finally {
      await adminAfter.call('DELETE', `/deedstream/users/${userId}`);
    }
  }, 400_000);
});
