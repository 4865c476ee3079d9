import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { KeycloakAdmin, publishedKeyIds } from '../../../test/support/keycloak-admin';
import { keycloakUrl } from '../../../stack/components/keycloak';
import { authConfig, tokenClientConfig } from './auth-config';
import { passwordGrantToken } from './token-grants';
import type { TokenVerification } from './token-verification';
import { createTokenVerifier } from './token-verifier';
import { waitFor } from '../../../test/support/wait-for';

const realm = 'deedstream';
const { OIDC_ISSUER_URL: issuerUrl, OIDC_CLIENT_ID: clientId } = tokenClientConfig();
/** Test objects this file creates in Keycloak carry this prefix, so a crashed run's leftovers are found. */
const testPrefix = 'deedstream-test-';
const suffix = randomUUID().slice(0, 8);

/** The realm's users (stack/keycloak/deedstream-realm.json) and the one role each has. */
const users: Array<[username: string, role: string]> = [
  ['seller1', 'seller'],
  ['agent1', 'agent'],
  ['buyer1', 'buyer'],
  ['buyer2', 'buyer'],
  ['compliance1', 'compliance'],
  ['registrar1', 'registrar'],
  ['ops1', 'ops'],
];
const appRoles = new Set(users.map(([, role]) => role));

function verifierWith(env: Record<string, string> = {}) {
  // Cooldown 0: a token with a key id not yet cached re-fetches the keys at once (default 30 s).
  return createTokenVerifier(authConfig({ OIDC_JWKS_COOLDOWN_SECONDS: '0', ...env }));
}

const tokenFor = (username: string, password = 'deedstream', client = clientId, issuer = issuerUrl) =>
  passwordGrantToken({ issuerUrl: issuer, clientId: client, username, password });

function expectRefused(result: TokenVerification, reason: string): void {
  expect(result.ok ? 'accepted' : result.reason).toBe(reason);
}

let admin: KeycloakAdmin;

beforeAll(async () => {
  admin = await KeycloakAdmin.signIn();
  // Leftovers of a run that died before its cleanup.
  const realms = await admin.call<Array<{ realm: string }>>('GET', '');
  for (const { realm: name } of realms.filter((r) => r.realm.startsWith(testPrefix))) {
    await admin.call('DELETE', `/${name}`);
  }
  for (const provider of await keyProviders()) {
    if (provider.name.startsWith(testPrefix))
      await admin.call('DELETE', `/${realm}/components/${provider.id}`);
  }
  for (const client of await admin.call<Array<{ id: string; clientId: string }>>(
    'GET',
    `/${realm}/clients`,
  )) {
    if (client.clientId.startsWith(testPrefix)) await admin.call('DELETE', `/${realm}/clients/${client.id}`);
  }
});

function keyProviders() {
  return admin.call<
    Array<{ id: string; name: string; providerId: string; config: Record<string, string[]> }>
  >('GET', `/${realm}/components?type=${encodeURIComponent('org.keycloak.keys.KeyProvider')}`);
}

describe('verifyAccessToken against the local Keycloak', () => {
  it.each(users)(
    "accepts %s's token with the user's id as subject and the %s role",
    async (username, role) => {
      const verification = await verifierWith().verifyAccessToken(await tokenFor(username));
      expect(verification.ok).toBe(true);
      if (!verification.ok) return;
      const { token } = verification;
      expect(token.subject).toBe(await admin.userId(realm, username));
      expect(token.roles).toContain(role);
      expect(token.roles.filter((r) => appRoles.has(r))).toEqual([role]);
      expect(token.username).toBe(username);
      expect(token.clientId).toBe(clientId);
      // Keycloak's default access token lifespan: 5 minutes.
      expect(token.expiresAt.getTime() - Date.now()).toBeGreaterThan(200_000);
      expect(token.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    },
  );

  it('reads the keys where OIDC_DISCOVERY_URL says, while tokens still name the issuer', async () => {
    // Another address of the same Keycloak, as a container reaches it by its service name.
    const elsewhere = issuerUrl.replace('127.0.0.1', 'localhost');
    expect(elsewhere).not.toBe(issuerUrl);
    const verification = await verifierWith({ OIDC_DISCOVERY_URL: elsewhere }).verifyAccessToken(
      await tokenFor('seller1'),
    );
    expect(verification.ok).toBe(true);
    // Metadata read there must name the configured issuer: another realm's is refused as unavailable.
    const otherIssuer = verifierWith({ OIDC_DISCOVERY_URL: `${keycloakUrl}/realms/master` });
    await expect(otherIssuer.verifyAccessToken(await tokenFor('seller1'))).rejects.toThrow(
      /names issuer .*\/realms\/master, not .*\/realms\/deedstream/,
    );
    // An unreachable discovery address is named in the error (a 503 at the HTTP layer).
    const unreachable = verifierWith({ OIDC_DISCOVERY_URL: 'http://127.0.0.1:1/realms/deedstream' });
    await expect(unreachable.verifyAccessToken(await tokenFor('seller1'))).rejects.toThrow(
      /cannot reach the OIDC issuer at http:\/\/127\.0\.0\.1:1\/realms\/deedstream/,
    );
  });

  it('refuses a missing and a malformed token', async () => {
    const verifier = verifierWith();
    expectRefused(await verifier.verifyAccessToken(undefined), 'missing');
    expectRefused(await verifier.verifyAccessToken('  '), 'missing');
    expectRefused(await verifier.verifyAccessToken('not-a-jwt'), 'malformed');
    expectRefused(await verifier.verifyAccessToken('a.b.c'), 'malformed');
  });

  it('refuses a token whose signature or payload was tampered with', async () => {
    const verifier = verifierWith();
    const token = await tokenFor('buyer1');
    const [header, payload, signature] = token.split('.') as [string, string, string];

    const bytes = Buffer.from(signature, 'base64url');
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    expectRefused(
      await verifier.verifyAccessToken(`${header}.${payload}.${bytes.toString('base64url')}`),
      'bad_signature',
    );

    // buyer1 makes itself ops: same signature, edited claims.
    const claims = decodeJwt(token);
    const forged = Buffer.from(JSON.stringify({ ...claims, realm_access: { roles: ['ops'] } })).toString(
      'base64url',
    );
    expectRefused(await verifier.verifyAccessToken(`${header}.${forged}.${signature}`), 'bad_signature');

    // And the untouched token still passes, so the refusals were about the tampering.
    expect((await verifier.verifyAccessToken(token)).ok).toBe(true);
  });

  it('refuses a token for another audience or from a client the service does not accept', async () => {
    const token = await tokenFor('agent1');
    expectRefused(
      await verifierWith({ OIDC_AUDIENCE: 'some-other-api' }).verifyAccessToken(token),
      'wrong_audience',
    );
    expectRefused(
      await verifierWith({ OIDC_ALLOWED_CLIENTS: 'deedstream-web, deedstream-mobile' }).verifyAccessToken(
        token,
      ),
      'wrong_client',
    );
    expect(
      (await verifierWith({ OIDC_ALLOWED_CLIENTS: `other,${clientId}` }).verifyAccessToken(token)).ok,
    ).toBe(true);
  });

  it('refuses a token from another realm of the same Keycloak as from another issuer', async () => {
    const otherRealm = `${testPrefix}other-${suffix}`;
    await admin.call('POST', '', {
      realm: otherRealm,
      enabled: true,
      clients: [
        {
          clientId,
          publicClient: true,
          directAccessGrantsEnabled: true,
          standardFlowEnabled: false,
          // The same audience as ours: only the issuer tells the tokens apart.
          protocolMappers: [
            {
              name: 'audience deedstream',
              protocol: 'openid-connect',
              protocolMapper: 'oidc-audience-mapper',
              config: { 'included.custom.audience': 'deedstream', 'access.token.claim': 'true' },
            },
          ],
        },
      ],
      users: [
        {
          username: 'seller1',
          enabled: true,
          emailVerified: true,
          email: 'seller1@other.test',
          firstName: 'Other',
          lastName: 'Seller',
          credentials: [{ type: 'password', value: 'deedstream', temporary: false }],
        },
      ],
    });
    try {
      const foreign = await tokenFor(
        'seller1',
        'deedstream',
        clientId,
        `${keycloakUrl}/realms/${otherRealm}`,
      );
      expect(decodeJwt(foreign).aud).toContain('deedstream');
      expectRefused(await verifierWith().verifyAccessToken(foreign), 'wrong_issuer');
    } finally {
      await admin.call('DELETE', `/${otherRealm}`);
    }
  });

  it('refuses a real token once it has expired', async () => {
    // A client of its own whose access tokens live 2 s (the realm's stay at 5 minutes).
    const shortLived = `${testPrefix}short-${suffix}`;
    await admin.call('POST', `/${realm}/clients`, {
      clientId: shortLived,
      publicClient: true,
      directAccessGrantsEnabled: true,
      standardFlowEnabled: false,
      attributes: { 'access.token.lifespan': '2' },
      protocolMappers: [
        {
          name: 'audience deedstream',
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: { 'included.custom.audience': 'deedstream', 'access.token.claim': 'true' },
        },
      ],
    });
    try {
      const verifier = verifierWith({ OIDC_CLOCK_TOLERANCE_SECONDS: '1' });
      const token = await tokenFor('buyer2', 'deedstream', shortLived);
      const expiresAt = (decodeJwt(token).exp ?? 0) * 1000;
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(2_000);

      const first = await verifier.verifyAccessToken(token);
      // Valid while it lives (unless this machine was too slow to ask in time).
      if (Date.now() < expiresAt) expect(first.ok).toBe(true);

      // Bounded by the token's lifetime, the tolerance and a margin: no open-ended wait.
      let result = first;
      await waitFor(
        'the token to be refused',
        async () => !(result = await verifier.verifyAccessToken(token)).ok,
        { timeoutMs: Math.max(0, expiresAt + 1_000 + 3_000 - Date.now()), pollMs: 200 },
      );
      expectRefused(result, 'expired');
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt + 1_000);
    } finally {
      const [client] = await admin.call<Array<{ id: string }>>(
        'GET',
        `/${realm}/clients?clientId=${encodeURIComponent(shortLived)}`,
      );
      if (client) await admin.call('DELETE', `/${realm}/clients/${client.id}`);
    }
  });

  it('accepts tokens signed with a rotated-in key without a restart, and older tokens until they expire', async () => {
    const verifier = verifierWith();
    const before = await tokenFor('registrar1');
    const oldKid = decodeProtectedHeader(before).kid;
    // The verifier now holds the realm's current keys in its cache.
    expect((await verifier.verifyAccessToken(before)).ok).toBe(true);

    const { id: realmId } = await admin.call<{ id: string }>('GET', `/${realm}`);
    const highest = Math.max(
      ...(await keyProviders()).map((provider) => Number(provider.config.priority?.[0] ?? 0)),
    );
    const providerName = `${testPrefix}rotation-${suffix}`;
    await admin.call('POST', `/${realm}/components`, {
      name: providerName,
      providerId: 'rsa-generated',
      providerType: 'org.keycloak.keys.KeyProvider',
      parentId: realmId,
      config: {
        priority: [String(highest + 100)],
        enabled: ['true'],
        active: ['true'],
        algorithm: ['RS256'],
        keySize: ['2048'],
      },
    });
    try {
      const after = await tokenFor('registrar1');
      const newKid = decodeProtectedHeader(after).kid;
      expect(newKid).toBeDefined();
      expect(newKid).not.toBe(oldKid);

      const fresh = await verifier.verifyAccessToken(after);
      expect(fresh.ok).toBe(true);

      // The old key is still published (no longer the signing key), so tokens it signed live on.
      expect(await publishedKeyIds(realm)).toEqual(expect.arrayContaining([oldKid, newKid]));
      expect((await verifier.verifyAccessToken(before)).ok).toBe(true);
    } finally {
      for (const provider of await keyProviders()) {
        if (provider.name === providerName) await admin.call('DELETE', `/${realm}/components/${provider.id}`);
      }
    }
  });
});
