import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { authConfig } from '../../services/shared/auth/auth-config';
import type { TokenVerifier } from '../../services/shared/auth/token-verification';
import { createTokenVerifier } from '../../services/shared/auth/token-verifier';
import type { Identity } from './identities';

/**
 * An OIDC issuer inside the test process: it signs access tokens with its own key, shaped
 * as the realm's are (issuer, audience, realm roles), and the service's real verifier checks
 * them against its key set. API tests that need no identity provider run on it in
 * milliseconds; tests of Keycloak itself keep using the stack's.
 */
export interface LocalIssuer {
  verifier: TokenVerifier;
  /** Someone with these realm roles, signed in here. */
  user(username: string, roles: readonly string[]): Promise<Identity>;
}

export async function startLocalIssuer(): Promise<LocalIssuer> {
  const config = authConfig({});
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const keySet = createLocalJWKSet({
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }],
  });
  return {
    verifier: createTokenVerifier(config, keySet),
    async user(username, roles) {
      const subject = randomUUID();
      const token = await new SignJWT({
        preferred_username: username,
        realm_access: { roles: [...roles] },
        azp: 'deedstream-cli',
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(config.OIDC_ISSUER_URL)
        .setAudience(config.OIDC_AUDIENCE)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      return {
        username,
        subject,
        token: async () => token,
        headers: async () => ({ Authorization: `Bearer ${token}` }),
      };
    },
  };
}
