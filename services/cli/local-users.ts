import { decodeJwt } from 'jose';
import { tokenClientConfig } from '../shared/auth/auth-config';
import { passwordGrantToken } from '../shared/auth/token-grants';

/**
 * The local realm's users for CLIs that act as people (the demo): a token each, fetched
 * again shortly before it expires. Local development only: the password is the realm's
 * shared test password.
 */
export async function signInLocalUsers(usernames: readonly string[], password = 'deedstream') {
  const config = tokenClientConfig();
  const tokens = new Map<string, { token: string; expiresAt: number; subject: string }>();
  const signIn = async (username: string) => {
    const token = await passwordGrantToken({
      issuerUrl: config.OIDC_ISSUER_URL,
      clientId: config.OIDC_CLIENT_ID,
      username,
      password,
    });
    const claims = decodeJwt(token);
    const entry = { token, expiresAt: (claims.exp ?? 0) * 1000, subject: claims.sub ?? '' };
    tokens.set(username, entry);
    return entry;
  };
  for (const username of usernames) await signIn(username);
  const accounts = new Set<string>();
  const known = (username: string) => {
    const entry = tokens.get(username);
    if (!entry) throw new Error(`${username} is not signed in`);
    return entry;
  };
  return {
    subject: (username: string) => known(username).subject,
    async token(username: string): Promise<string> {
      const entry = known(username);
      return Date.now() < entry.expiresAt - 30_000 ? entry.token : (await signIn(username)).token;
    },
    /** Opens the buyer's own (empty) account once; an existing one is fine. */
    async ensureAccount(username: string, paymentApi: string): Promise<void> {
      if (accounts.has(username)) return;
      const response = await fetch(`${paymentApi}/accounts`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${await this.token(username)}`,
        },
        body: JSON.stringify({ currency: 'EUR' }),
      });
      if (response.status !== 201 && response.status !== 409) {
        throw new Error(`opening ${username}'s account: HTTP ${response.status} ${await response.text()}`);
      }
      accounts.add(username);
    },
  };
}
