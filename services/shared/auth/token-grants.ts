import { z } from 'zod';
import { discoverIssuer, IssuerUnavailableError, reasonOf } from './oidc-discovery';

/** Where a grant reaches the issuer: `discoveryUrl` when its own URL is not reachable from here. */
interface IssuerAddress {
  issuerUrl: string;
  discoveryUrl?: string;
}

export interface PasswordGrantRequest extends IssuerAddress {
  clientId: string;
  username: string;
  password: string;
  timeoutMs?: number;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
  token_type: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_expires_in: z.number().optional(),
});

/** What a grant answers: the access token, and a refresh token when the issuer gives one. */
export interface GrantedTokens {
  accessToken: string;
  /** Seconds the access token lives, when the issuer says. */
  expiresIn?: number;
  refreshToken?: string;
  /** Seconds the refresh token lives (0 or absent: as long as the session). */
  refreshExpiresIn?: number;
}

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
  return (await passwordGrant(request)).accessToken;
}

/** The password grant with everything it answers (the console keeps the refresh token server-side). */
export function passwordGrant(request: PasswordGrantRequest): Promise<GrantedTokens> {
  return tokenRequest(request, request.clientId, request.username, request.timeoutMs, {
    grant_type: 'password',
    username: request.username,
    password: request.password,
    scope: 'openid',
  });
}

/**
 * Tokens for the code an authorization server sent back to `redirectUri` (OAuth 2.0
 * authorization code grant with PKCE, RFC 7636): `codeVerifier` proves that whoever
 * redeems the code is who asked for it.
 */
export function authorizationCodeGrant(
  request: IssuerAddress & {
    clientId: string;
    code: string;
    redirectUri: string;
    codeVerifier: string;
    timeoutMs?: number;
  },
): Promise<GrantedTokens> {
  return tokenRequest(request, request.clientId, 'the signing-in user', request.timeoutMs, {
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    code_verifier: request.codeVerifier,
  });
}

/** New tokens for a refresh token (OAuth 2.0 refresh grant); refused once the session ended. */
export function refreshGrant(
  request: IssuerAddress & { clientId: string; refreshToken: string; timeoutMs?: number },
): Promise<GrantedTokens> {
  return tokenRequest(request, request.clientId, 'the session', request.timeoutMs, {
    grant_type: 'refresh_token',
    refresh_token: request.refreshToken,
  });
}

async function tokenRequest(
  issuer: IssuerAddress,
  clientId: string,
  username: string,
  timeout: number | undefined,
  grant: Record<string, string>,
): Promise<GrantedTokens> {
  const timeoutMs = timeout ?? 10_000;
  const request = { clientId, username };
  const { token_endpoint: tokenEndpoint } = await discoverIssuer(
    issuer.issuerUrl,
    timeoutMs,
    issuer.discoveryUrl,
  );
  let response: Response;
  try {
    response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, ...grant }),
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
    if (token.success) {
      const { access_token, expires_in, refresh_token, refresh_expires_in } = token.data;
      return {
        accessToken: access_token,
        ...(expires_in === undefined ? {} : { expiresIn: expires_in }),
        ...(refresh_token === undefined ? {} : { refreshToken: refresh_token }),
        ...(refresh_expires_in === undefined ? {} : { refreshExpiresIn: refresh_expires_in }),
      };
    }
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
