import {
  createRemoteJWKSet,
  decodeJwt,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { z } from 'zod';
import { discoveryUrlOf, type AuthConfig } from './auth-config';
import { discoverIssuer, IssuerUnavailableError } from './oidc-discovery';
import type { TokenFailureReason, TokenVerification, TokenVerifier } from './token-verification';
import { cacheVerifiedTokens } from './verified-token-cache';

/** Asymmetric algorithms only: an HMAC or `none` token is never accepted. */
const allowedAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

const realmAccessSchema = z.object({ roles: z.array(z.string()) });

/** The issuer's public keys, as jose looks one up for a token (a remote or a local key set). */
export type IssuerKeys = JWTVerifyGetKey;

/**
 * The verifier every service uses: signature and claims checked once per token, the
 * acceptance remembered until the token expires. The keys come from the issuer's JWKS unless
 * given: a test's own issuer (test/support/local-issuer.ts) hands its key set in directly.
 */
export function createTokenVerifier(config: AuthConfig, issuerKeys?: IssuerKeys): TokenVerifier {
  return cacheVerifiedTokens(createSignatureVerifier(config, issuerKeys), {
    maxTokens: VERIFIED_TOKENS_REMEMBERED,
    clockToleranceSeconds: config.OIDC_CLOCK_TOLERANCE_SECONDS,
  });
}

/** Accepted tokens a process remembers until they expire (see verified-token-cache.ts). */
const VERIFIED_TOKENS_REMEMBERED = 10_000;

/**
 * Verifies access tokens against the issuer's published keys (JWKS, found through OIDC
 * discovery on first use). The keys are cached for OIDC_JWKS_CACHE_SECONDS; a token signed
 * with a key id not in the cache makes it fetch them again (at most once per
 * OIDC_JWKS_COOLDOWN_SECONDS), so a rotated key is picked up without a restart.
 */
function createSignatureVerifier(config: AuthConfig, issuerKeys?: IssuerKeys): TokenVerifier {
  let keySet: Promise<IssuerKeys> | undefined = issuerKeys && Promise.resolve(issuerKeys);
  const keys = (): Promise<IssuerKeys> => {
    keySet ??= discoverIssuer(config.OIDC_ISSUER_URL, undefined, discoveryUrlOf(config)).then(
      ({ jwks_uri }) =>
        createRemoteJWKSet(new URL(jwks_uri), {
          cacheMaxAge: config.OIDC_JWKS_CACHE_SECONDS * 1000,
          cooldownDuration: config.OIDC_JWKS_COOLDOWN_SECONDS * 1000,
          timeoutDuration: 5_000,
        }),
    );
    // A failed discovery is retried by the next request rather than remembered.
    keySet.catch(() => (keySet = undefined));
    return keySet;
  };

  return {
    async verifyAccessToken(token) {
      if (token === undefined || token.trim() === '') return refuse('missing', 'no bearer token');
      let unverified: JWTPayload;
      try {
        unverified = decodeJwt(token);
      } catch {
        return refuse('malformed', 'the token is not a JWT');
      }
      // Checked before the signature: another issuer's key is not ours to look up, and an
      // unknown key id would otherwise make every foreign token re-fetch our key set.
      if (unverified.iss !== config.OIDC_ISSUER_URL)
        return refuse('wrong_issuer', 'the token is from another issuer');

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keys(), {
          issuer: config.OIDC_ISSUER_URL,
          audience: config.OIDC_AUDIENCE,
          algorithms: allowedAlgorithms,
          clockTolerance: config.OIDC_CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        return failureOf(error);
      }
      const clientId = typeof payload.azp === 'string' ? payload.azp : undefined;
      if (config.OIDC_ALLOWED_CLIENTS.length > 0 && !config.OIDC_ALLOWED_CLIENTS.includes(clientId ?? '')) {
        return refuse('wrong_client', 'the token was issued to a client this service does not accept');
      }
      const realmAccess = realmAccessSchema.safeParse(payload.realm_access);
      return {
        ok: true,
        token: {
          subject: payload.sub as string,
          roles: realmAccess.success ? realmAccess.data.roles : [],
          ...(typeof payload.preferred_username === 'string' ? { username: payload.preferred_username } : {}),
          ...(clientId === undefined ? {} : { clientId }),
          expiresAt: new Date((payload.exp as number) * 1000),
        },
      };
    },
  };
}

function refuse(reason: TokenFailureReason, description: string): TokenVerification {
  return { ok: false, reason, description };
}

/** jose's verdict as a failure reason; anything that is not about the token means the issuer is unavailable. */
function failureOf(error: unknown): TokenVerification {
  if (error instanceof errors.JWTExpired) return refuse('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return refuse('wrong_issuer', 'the token is from another issuer');
    if (error.claim === 'aud') return refuse('wrong_audience', 'the token is not meant for this service');
    if ((error.claim === 'nbf' || error.claim === 'iat') && error.reason === 'check_failed') {
      return refuse('not_yet_valid', 'the token is not valid yet');
    }
    return refuse('malformed', `the token's ${error.claim} claim is missing or invalid`);
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed
  ) {
    return refuse('bad_signature', "the token's signature does not verify with the issuer's keys");
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return refuse('malformed', 'the token is not a valid signed JWT');
  }
  if (error instanceof IssuerUnavailableError) throw error;
  throw new IssuerUnavailableError("cannot fetch the issuer's signing keys", { cause: error });
}
