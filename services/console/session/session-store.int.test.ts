import { authConfig, tokenClientConfig } from '../../shared/auth/auth-config';
import { passwordGrant } from '../../shared/auth/token-grants';
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

/** Tokens of a local user, as a sign-in grants them (here by the CLI client's password grant). */
const granted = (username: string) =>
  passwordGrant({
    issuerUrl: tokenClientConfig().OIDC_ISSUER_URL,
    clientId: tokenClientConfig().OIDC_CLIENT_ID,
    username,
    password: 'deedstream',
  });

describe('SessionStore', () => {
  it("signs a user in and keeps the token on the server; the session names the user's roles", async () => {
    const sessions = store();
    const session = await sessions.open(await granted('ops1'));
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
    const session = await sessions.open(await granted('seller1'));
    const first = await sessions.accessToken(session.id);
    const second = await sessions.accessToken(session.id);
    expect(second).not.toBe(first);
    const verified = await verifier.verifyAccessToken(second);
    expect(verified.ok && verified.token.subject).toBe(session.subject);
  });

  it('refuses tokens it cannot verify, and forgets a session on sign-out', async () => {
    const sessions = store();
    await expect(sessions.open({ accessToken: 'not-a-token' })).rejects.toBeInstanceOf(SessionEndedError);
    const session = await sessions.open(await granted('ops1'));
    sessions.signOut(session.id);
    expect(sessions.find(session.id)).toBeUndefined();
    await expect(sessions.accessToken(session.id)).rejects.toBeInstanceOf(SessionEndedError);
  });

  it('holds at most maxSessions: a new sign-in signs out the least recently used', async () => {
    const sessions = store(undefined, 2);
    const first = await sessions.open(await granted('seller1'));
    const second = await sessions.open(await granted('buyer1'));
    // Using the first makes the second the least recently used.
    expect(sessions.find(first.id)).toBeDefined();
    const third = await sessions.open(await granted('ops1'));
    expect(sessions.find(second.id)).toBeUndefined();
    expect(sessions.find(first.id)).toBeDefined();
    expect(sessions.find(third.id)).toBeDefined();
  });
});
