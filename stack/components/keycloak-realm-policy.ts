import fs from 'node:fs';
import { StackError } from '../errors';
import { keycloakAdmin } from '../ports';

/** The realm settings that guard sign-in: kept as the realm file says on every `up`. */
const bruteForceSettings = [
  'bruteForceProtected',
  'permanentLockout',
  'failureFactor',
  'waitIncrementSeconds',
  'maxFailureWaitSeconds',
  'maxDeltaTimeSeconds',
  'quickLoginCheckMilliSeconds',
  'minimumQuickLoginWaitSeconds',
] as const;

interface RealmFile {
  realm: string;
  clients: Array<{
    clientId: string;
    defaultClientScopes: string[];
    optionalClientScopes: string[];
    protocolMappers: Array<{ name: string }>;
  }>;
  [setting: string]: unknown;
}

/**
 * Keycloak imports a realm file only while the realm does not exist, so a stack made before
 * a change of the file would keep the old policy. This brings an existing realm's
 * brute-force protection, its clients (a missing one is created) and each client's default
 * and optional scopes and its own mappers (what its tokens carry) to what the file says,
 * through the admin API; mappers the file lacks, users and keys are left alone.
 */
export async function applyRealmPolicy(baseUrl: string, realmFile: string): Promise<void> {
  const wanted = JSON.parse(fs.readFileSync(realmFile, 'utf8')) as RealmFile;
  const admin = await adminClient(baseUrl);
  const realm = `/admin/realms/${wanted.realm}`;
  await admin('PUT', realm, Object.fromEntries(bruteForceSettings.map((key) => [key, wanted[key]])));

  const scopes = await admin<Array<{ id: string; name: string }>>('GET', `${realm}/client-scopes`);
  const scopeId = (name: string) => {
    const found = scopes.find((scope) => scope.name === name);
    if (!found) throw new StackError(`keycloak: realm ${wanted.realm} has no client scope ${name}`, remake);
    return found.id;
  };
  for (const client of wanted.clients) {
    const [existing] = await admin<Array<{ id: string }>>(
      'GET',
      `${realm}/clients?clientId=${encodeURIComponent(client.clientId)}`,
    );
    if (!existing) {
      // A client the file gained since the realm was imported: made as the file says.
      await admin('POST', `${realm}/clients`, client);
      continue;
    }
    const mappers = `${realm}/clients/${existing.id}/protocol-mappers/models`;
    const present = (await admin<Array<{ name: string }>>('GET', mappers)).map((mapper) => mapper.name);
    for (const mapper of client.protocolMappers.filter((m) => !present.includes(m.name))) {
      await admin('POST', mappers, mapper);
    }
    for (const kind of ['default', 'optional'] as const) {
      const path = `${realm}/clients/${existing.id}/${kind}-client-scopes`;
      const want = kind === 'default' ? client.defaultClientScopes : client.optionalClientScopes;
      const have = (await admin<Array<{ name: string }>>('GET', path)).map((scope) => scope.name);
      for (const name of have.filter((name) => !want.includes(name))) {
        await admin('DELETE', `${path}/${scopeId(name)}`);
      }
      for (const name of want.filter((name) => !have.includes(name))) {
        await admin('PUT', `${path}/${scopeId(name)}`);
      }
    }
  }
}

const remake = '`npm run stack -- reset` makes a new Keycloak from the realm file (and deletes all data)';

type AdminCall = <T = undefined>(method: string, path: string, body?: unknown) => Promise<T>;

/** Calls of the admin API as the stack's bootstrap admin (local development only). */
async function adminClient(baseUrl: string): Promise<AdminCall> {
  const tokenResponse = await fetch(`${baseUrl}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: keycloakAdmin.username,
      password: keycloakAdmin.password,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!tokenResponse.ok) {
    throw new StackError(
      `keycloak: the stack's admin cannot sign in (HTTP ${tokenResponse.status})`,
      `the admin is created on the first start only: ${remake}`,
    );
  }
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new StackError(`keycloak: ${method} ${path} answered HTTP ${response.status}`, remake);
    }
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
}
