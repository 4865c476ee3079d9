import { keycloakAdmin } from '../../stack/ports';
import { keycloakUrl } from '../../stack/components/keycloak';
import { passwordGrantToken } from '../../services/shared/auth/token-grants';

/**
 * A small client of Keycloak's admin REST API for tests (realms, users, clients, key
 * providers), signed in as the local stack's bootstrap admin. Local stack only.
 */
export class KeycloakAdmin {
  private constructor(private readonly accessToken: string) {}

  static async signIn(): Promise<KeycloakAdmin> {
    const token = await passwordGrantToken({
      issuerUrl: `${keycloakUrl}/realms/master`,
      clientId: 'admin-cli',
      username: keycloakAdmin.username,
      password: keycloakAdmin.password,
    });
    return new KeycloakAdmin(token);
  }

  /** A call to /admin/realms/<path>; returns the parsed JSON body (undefined when empty). */
  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    okStatuses = [200, 201, 204],
  ): Promise<T> {
    const response = await fetch(`${keycloakUrl}/admin/realms${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.accessToken}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (!okStatuses.includes(response.status)) {
      throw new Error(
        `${method} /admin/realms${path} answered HTTP ${response.status}: ${await response.text()}`,
      );
    }
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async userId(realm: string, username: string): Promise<string | undefined> {
    const users = await this.call<Array<{ id: string }>>(
      'GET',
      `/${realm}/users?exact=true&username=${encodeURIComponent(username)}`,
    );
    return users[0]?.id;
  }
}

/** The key ids the realm publishes in its JWKS. */
export async function publishedKeyIds(realm: string): Promise<string[]> {
  const response = await fetch(`${keycloakUrl}/realms/${realm}/protocol/openid-connect/certs`);
  const body = (await response.json()) as { keys: Array<{ kid: string }> };
  return body.keys.map((key) => key.kid);
}
