import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { tokenClientConfig } from '../../services/shared/auth/auth-config';
import { passwordGrantToken } from '../../services/shared/auth/token-grants';
import { KeycloakAdmin } from './keycloak-admin';

const realm = 'deedstream';
const password = 'deedstream';

/** Someone with an account at the local identity provider, as tests act on their behalf. */
export interface Identity {
  username: string;
  /** The token subject: the id services record as owner, buyer and actor. */
  subject: string;
  /** A current access token (fetched again shortly before the last one expires). */
  token(): Promise<string>;
  /** `{ Authorization: 'Bearer …' }` for a request as this identity. */
  headers(): Promise<Record<string, string>>;
}

function identity(username: string, first: { token: string; subject: string }): Identity {
  let current = first.token;
  let expiresAt = (decodeJwt(current).exp ?? 0) * 1000;
  const token = async () => {
    if (Date.now() > expiresAt - 30_000) {
      const config = tokenClientConfig();
      current = await passwordGrantToken({
        issuerUrl: config.OIDC_ISSUER_URL,
        clientId: config.OIDC_CLIENT_ID,
        username,
        password,
      });
      expiresAt = (decodeJwt(current).exp ?? 0) * 1000;
    }
    return current;
  };
  return {
    username,
    subject: first.subject,
    token,
    headers: async () => ({ Authorization: `Bearer ${await token()}` }),
  };
}

/** Signs a local user in now (a password grant at Keycloak), never from the cache localUser keeps. */
export async function signIn(username: string): Promise<Identity> {
  const config = tokenClientConfig();
  const token = await passwordGrantToken({
    issuerUrl: config.OIDC_ISSUER_URL,
    clientId: config.OIDC_CLIENT_ID,
    username,
    password,
  });
  const subject = decodeJwt(token).sub;
  if (!subject) throw new Error(`the token of ${username} has no subject`);
  return identity(username, { token, subject });
}

const localUsers = new Map<string, Promise<Identity>>();

/** One of the realm's local users (seller1, agent1, buyer1, buyer2, compliance1, registrar1, ops1). */
export function localUser(username: string): Promise<Identity> {
  let user = localUsers.get(username);
  if (!user) {
    user = signIn(username);
    localUsers.set(username, user);
  }
  return user;
}

/**
 * A new user of the realm with `roles`, made for one test so that its accounts, offers
 * and purchases are its own whatever ran before. Users made here are named `test-…`.
 */
export async function freshUser(...roles: string[]): Promise<Identity> {
  // Signed in for each user: the admin's token lives a minute, a test file longer.
  const keycloak = await KeycloakAdmin.signIn();
  const username = `test-${roles.join('-') || 'user'}-${randomUUID().slice(0, 8)}`;
  await keycloak.call('POST', `/${realm}/users`, {
    username,
    enabled: true,
    emailVerified: true,
    email: `${username}@example.test`,
    firstName: 'Test',
    lastName: username,
    credentials: [{ type: 'password', value: password, temporary: false }],
  });
  const id = await keycloak.userId(realm, username);
  if (!id) throw new Error(`user ${username} was not created`);
  if (roles.length > 0) {
    const available = await keycloak.call<Array<{ id: string; name: string }>>('GET', `/${realm}/roles`);
    const wanted = available.filter((role) => roles.includes(role.name));
    await keycloak.call('POST', `/${realm}/users/${id}/role-mappings/realm`, wanted);
  }
  return signIn(username);
}
