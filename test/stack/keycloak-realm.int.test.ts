import { decodeJwt } from 'jose';
import { tokenClientConfig } from '../../services/shared/auth/auth-config';
import { passwordGrantToken } from '../../services/shared/auth/token-grants';
import { freshUser, localUser } from '../support/identities';
import { KeycloakAdmin } from '../support/keycloak-admin';

/** What the realm file (stack/keycloak/deedstream-realm.json) promises about tokens and sign-in. */
describe('the deedstream realm', () => {
  it("gives access tokens the subject, user name and roles, never the person's name or e-mail", async () => {
    const seller = await localUser('seller1');
    const claims = decodeJwt(await seller.token());
    expect(claims.sub).toBe(seller.subject);
    expect(claims).toHaveProperty('realm_access.roles', expect.arrayContaining(['seller']));
    // The account's handle, for logs and display; never an identity (it may change).
    expect(claims.preferred_username).toBe('seller1');
    for (const personal of ['name', 'given_name', 'family_name', 'email', 'email_verified']) {
      expect(claims).not.toHaveProperty(personal);
    }
  });

  it('locks an account out for a while after ten wrong passwords in a row', async () => {
    const user = await freshUser();
    const config = tokenClientConfig();
    const grant = (password: string) =>
      passwordGrantToken({
        issuerUrl: config.OIDC_ISSUER_URL,
        clientId: config.OIDC_CLIENT_ID,
        username: user.username,
        password,
      });
    try {
      for (let attempt = 1; attempt <= 10; attempt += 1) {
        await expect(grant(`wrong-${attempt}`)).rejects.toThrow(/password is wrong/);
      }
      // The right password no longer helps until the lockout ends (60 s and growing).
      await expect(grant('deedstream')).rejects.toThrow(/password is wrong/);
    } finally {
      const admin = await KeycloakAdmin.signIn();
      const id = await admin.userId('deedstream', user.username);
      if (id) await admin.call('DELETE', `/deedstream/users/${id}`);
    }
  });
});
