import { authConfig, tokenClientConfig } from '../../shared/auth/auth-config';
import { TokenRequestRefusedError } from '../../shared/auth/password-grant';
import { createTokenVerifier } from '../../shared/auth/token-verifier';
import { SessionEndedError, SessionStore } from './session-store';

/** Console sessions against the stack's Keycloak: sign-in, refresh, sign-out. */
const verifier = createTokenVerifier(authConfig());
const store = (refreshMarginMs?: number, maxSessions = 100) =>
  new SessionStore({
    issuerUrl: tokenClientConfig().OIDC_ISSUER_URL,
    clientId: tokenClientConfig().OIDC_CLIENT_ID,
    verifier,
    idleMs: 60_000,
    maxSessions,
    ...(refreshMarginMs === undefined ? {} : { refreshMarginMs }),
  });

describe('SessionStore', () => {
  it("signs a user in and keeps the token on the server; the session names the user's roles", async () => {
    const sessions = store();
    const session = await sessions.signIn('ops1', 'deedstream');
    expect(session).toMatchObject({ username: 'ops1', roles: expect.arrayContaining(['ops']) });
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(session)).not.toMatch(/eyJ/);
    const token = await sessions.accessToken(session.id);
    expect(await sessions.accessToken(session.id)).toBe(token);
    expect((await verifier.verifyAccessToken(token)).ok).toBe(true);
  });

  it('refreshes the access token with the refresh token when it is about to expire', async () => {
    // A margin longer than the token's 5 minutes: every use refreshes.
    const sessions = store(600_000);
    const session = await sessions.signIn('seller1', 'deedstream');
    const first = await sessions.accessToken(session.id);
    const second = await sessions.accessToken(session.id);
    expect(second).not.toBe(first);
    const verified = await verifier.verifyAccessToken(second);
    expect(verified.ok && verified.token.subject).toBe(session.subject);
  });

  it('refuses a wrong password, and forgets a session on sign-out', async () => {
    const sessions = store();
    await expect(sessions.signIn('ops1', 'wrong')).rejects.toBeInstanceOf(TokenRequestRefusedError);
    const session = await sessions.signIn('ops1', 'deedstream');
    sessions.signOut(session.id);
    expect(sessions.find(session.id)).toBeUndefined();
    await expect(sessions.accessToken(session.id)).rejects.toBeInstanceOf(SessionEndedError);
  });

  it('holds at most maxSessions: a new sign-in signs out the least recently used', async () => {
    const sessions = store(undefined, 2);
    const first = await sessions.signIn('seller1', 'deedstream');
    const second = await sessions.signIn('buyer1', 'deedstream');
    // Using the first makes the second the least recently used.
    expect(sessions.find(first.id)).toBeDefined();
    const third = await sessions.signIn('ops1', 'deedstream');
    expect(sessions.find(second.id)).toBeUndefined();
    expect(sessions.find(first.id)).toBeDefined();
    expect(sessions.find(third.id)).toBeDefined();
  });
});
