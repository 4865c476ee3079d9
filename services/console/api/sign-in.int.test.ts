import { authorizationCodeGrant, TokenRequestRefusedError } from '../../shared/auth/token-grants';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { startService, type RunningService } from '../../shared/service/start-service';
import { consoleService } from '../console-service';
import type { ConsoleConfig } from '../console-config';

/**
 * The console's sign-in against the stack's Keycloak, without a browser: the redirect to
 * the login page, the login form posted as a browser would, the callback with its code.
 */
let console: RunningService<ConsoleConfig, unknown>;

beforeAll(async () => {
  console = await startService(consoleService, {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    port: 0,
    workers: false,
  });
}, 60_000);

afterAll(async () => {
  await console.stop();
});

/** A cookie jar of one browser: name=value of every Set-Cookie it was given. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '' || /Max-Age=0/i.test(line)) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const get = (url: string, jar: Jar) =>
  fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } }).then((response) => {
    jar.take(response);
    return response;
  });

/** Signs in at Keycloak's login page as a browser would; the console callback URL it sends back. */
async function loginAtIdentityProvider(authorizeUrl: string, username: string): Promise<URL> {
  const keycloak = new Jar();
  const page = await get(authorizeUrl, keycloak);
  expect(page.status).toBe(200);
  const action = /<form[^>]+id="kc-form-login"[^>]+action="([^"]+)"/.exec(await page.text())?.[1];
  if (!action) throw new Error('no login form on the identity provider page');
  const posted = await fetch(action.replace(/&amp;/g, '&'), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', cookie: keycloak.header() },
    body: new URLSearchParams({ username, password: 'deedstream', credentialId: '' }),
  });
  expect(posted.status).toBe(302);
  return new URL(posted.headers.get('location') ?? '');
}

describe('console sign-in (authorization code flow with PKCE)', () => {
  it('sends the browser to the login page and back, with a session cookie, to where it started', async () => {
    const browser = new Jar();
    const start = await get(
      `${console.url}/session/login?returnTo=${encodeURIComponent('#/markets')}`,
      browser,
    );
    expect(start.status).toBe(303);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe(
      `${infrastructureConfig().OIDC_ISSUER_URL}/protocol/openid-connect/auth`,
    );
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'deedstream-console',
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: `${console.url}/session/callback`,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    const callback = await loginAtIdentityProvider(authorize.toString(), 'ops1');
    expect(callback.origin + callback.pathname).toBe(`${console.url}/session/callback`);
    const back = await get(callback.toString(), browser);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/#/markets');
    const session = await get(`${console.url}/session`, browser);
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ username: 'ops1', roles: expect.arrayContaining(['ops']) });

    // A callback is good once.
    expect((await get(callback.toString(), browser)).status).toBe(400);
  });

  it('refuses a callback in a browser that did not start the sign-in (login CSRF)', async () => {
    const attacker = new Jar();
    const start = await get(`${console.url}/session/login`, attacker);
    const callback = await loginAtIdentityProvider(start.headers.get('location') ?? '', 'seller1');
    const victim = new Jar();
    const answer = await get(callback.toString(), victim);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ rule: 'console-sign-in-state' });
    expect((await get(`${console.url}/session`, victim)).status).toBe(204);
  });

  it('the code is worthless without the verifier only the console holds', async () => {
    const browser = new Jar();
    const start = await get(`${console.url}/session/login`, browser);
    const callback = await loginAtIdentityProvider(start.headers.get('location') ?? '', 'seller1');
    const stolen = authorizationCodeGrant({
      issuerUrl: infrastructureConfig().OIDC_ISSUER_URL,
      clientId: 'deedstream-console',
      code: callback.searchParams.get('code') ?? '',
      redirectUri: `${console.url}/session/callback`,
      codeVerifier: 'a'.repeat(43),
    });
    await expect(stolen).rejects.toBeInstanceOf(TokenRequestRefusedError);
  });
});
