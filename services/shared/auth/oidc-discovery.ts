import { z } from 'zod';

/** The parts of an issuer's OpenID Provider metadata (OIDC Discovery 1.0) that deedstream uses. */
const discoverySchema = z.object({
  issuer: z.string(),
  jwks_uri: z.url(),
  token_endpoint: z.url(),
  /** Where a browser signs in (the authorization code flow); an issuer without one has no such flow. */
  authorization_endpoint: z.url().optional(),
});

export type IssuerMetadata = z.infer<typeof discoverySchema>;

/** The issuer could not be reached or did not answer as an OIDC issuer: not the token's fault. */
export class IssuerUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IssuerUnavailableError';
  }
}

/**
 * Reads the issuer's /.well-known/openid-configuration, from `discoveryUrl`: the issuer's own
 * address by default, or another way to reach it (a service inside a network where the public
 * issuer URL does not resolve, OIDC_DISCOVERY_URL). The document must name `issuerUrl`: a
 * mismatch means a misconfigured OIDC_ISSUER_URL (e.g. Keycloak's hostname).
 */
export async function discoverIssuer(
  issuerUrl: string,
  timeoutMs = 5_000,
  discoveryUrl = issuerUrl,
): Promise<IssuerMetadata> {
  const url = `${discoveryUrl}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new IssuerUnavailableError(`cannot reach the OIDC issuer at ${discoveryUrl} (${reasonOf(error)})`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new IssuerUnavailableError(`${url} answered HTTP ${response.status}: is OIDC_ISSUER_URL right?`);
  }
  const parsed = discoverySchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new IssuerUnavailableError(`${url} is not an OpenID Provider configuration`);
  if (parsed.data.issuer !== issuerUrl) {
    throw new IssuerUnavailableError(
      `${url} names issuer ${parsed.data.issuer}, not ${issuerUrl}: set OIDC_ISSUER_URL to the issuer tokens carry`,
    );
  }
  return parsed.data;
}

/** A fetch failure's root cause in a few words (ECONNREFUSED, a timeout), for one-line errors. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause;
    if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string')
      return cause.code;
    if (error.name === 'TimeoutError') return 'timed out';
    return error.message;
  }
  return String(error);
}
