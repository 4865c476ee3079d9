import { z } from 'zod';
import { loadConfig } from '../config/load-config';

/** The local stack's realm (`npm run stack -- up`, or docker compose): for development and tests. */
export const localIssuerUrl = 'http://127.0.0.1:8180/realms/deedstream';

const issuerUrl = z
  .url({ protocol: /^https?$/ })
  .transform((url) => url.replace(/\/+$/, ''))
  .default(localIssuerUrl)
  .describe("OIDC issuer: exactly the tokens' `iss` (for Keycloak, <base>/realms/<realm>)");

/** A comma-separated list; unset or empty means "no restriction". */
const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

/**
 * How a service checks bearer tokens. A service's own config schema extends it
 * (`authSchema.extend({...})`), so a bad value stops the service at start-up like any other.
 */
export const authSchema = z.object({
  OIDC_ISSUER_URL: issuerUrl,
  OIDC_DISCOVERY_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional()
    .describe(
      "where this service reads the issuer's metadata and keys, when OIDC_ISSUER_URL (what tokens name) is not reachable from where it runs, e.g. http://keycloak:8180/realms/deedstream inside compose (unset: OIDC_ISSUER_URL)",
    ),
  OIDC_AUDIENCE: z
    .string()
    .min(1)
    .default('deedstream')
    .describe('an access token must name this in `aud` (the realm adds it with an audience mapper)'),
  OIDC_ALLOWED_CLIENTS: commaList.describe(
    'clients (`azp`) whose tokens are accepted, comma-separated; unset accepts any client of the issuer',
  ),
  OIDC_JWKS_CACHE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(600)
    .describe("how long the issuer's signing keys are used before they are fetched again"),
  OIDC_JWKS_COOLDOWN_SECONDS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(30)
    .describe('least time between two fetches of the keys (a token with an unknown key id triggers one)'),
  OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .nonnegative()
    .max(300)
    .default(5)
    .describe('clock skew allowed when checking exp, nbf and iat'),
});

export type AuthConfig = z.infer<typeof authSchema>;

/** Where a service reaches its issuer: OIDC_DISCOVERY_URL, else the issuer's own URL. */
export function discoveryUrlOf(config: Pick<AuthConfig, 'OIDC_ISSUER_URL' | 'OIDC_DISCOVERY_URL'>): string {
  return config.OIDC_DISCOVERY_URL ?? config.OIDC_ISSUER_URL;
}

export function authConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return loadConfig(authSchema, env);
}

/** Where `npm run token` and the tests get a token for a local user (password grant). */
export const tokenClientSchema = z.object({
  OIDC_ISSUER_URL: issuerUrl,
  OIDC_CLIENT_ID: z
    .string()
    .min(1)
    .default('deedstream-cli')
    .describe('public client with direct access grants (password grant) enabled'),
});

export type TokenClientConfig = z.infer<typeof tokenClientSchema>;

export function tokenClientConfig(env: NodeJS.ProcessEnv = process.env): TokenClientConfig {
  return loadConfig(tokenClientSchema, env);
}
