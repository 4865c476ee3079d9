import { z } from 'zod';
import { discoverIssuer, IssuerUnavailableError, reasonOf } from './oidc-discovery';

export interface PasswordGrantRequest {
  issuerUrl: string;
  clientId: string;
  username: string;
  password: string;
  timeoutMs?: number;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
  token_type: z.string().optional(),
});

const errorResponseSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

/** The issuer refused to issue a token (wrong credentials, client not allowed the grant…). */
export class TokenRequestRefusedError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRequestRefusedError';
  }
}

/**
 * Gets an access token for a user with the OAuth 2.0 password grant (Keycloak's "direct
 * access grants"). For local development and tests only: a real client would use a browser
 * flow. Neither the password nor the token appears in any error this throws.
 */
export async function passwordGrantToken(request: PasswordGrantRequest): Promise<string> {
  const timeoutMs = request.timeoutMs ?? 10_000;
  const { token_endpoint: tokenEndpoint } = await discoverIssuer(request.issuerUrl, timeoutMs);
  let response: Response;
  try {
    response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: request.clientId,
        username: request.username,
        password: request.password,
        scope: 'openid',
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new IssuerUnavailableError(
      `cannot reach the token endpoint ${tokenEndpoint} (${reasonOf(error)})`,
      {
        cause: error,
      },
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const token = tokenResponseSchema.safeParse(body);
    if (token.success) return token.data.access_token;
    throw new IssuerUnavailableError(`${tokenEndpoint} answered without an access token`);
  }
  const refusal = errorResponseSchema.safeParse(body);
  if (!refusal.success) throw new IssuerUnavailableError(`${tokenEndpoint} answered HTTP ${response.status}`);
  const { error, error_description: description } = refusal.data;
  const hint =
    error === 'invalid_grant'
      ? `user ${request.username} does not exist or the password is wrong`
      : error === 'unauthorized_client' || error === 'invalid_client'
        ? `client ${request.clientId} may not use the password grant (OIDC_CLIENT_ID)`
        : `HTTP ${response.status}`;
  throw new TokenRequestRefusedError(error, `${error}${description ? `: ${description}` : ''} — ${hint}`);
}
