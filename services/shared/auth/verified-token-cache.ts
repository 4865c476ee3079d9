import { LRUCache } from 'lru-cache';
import type { TokenVerification, TokenVerifier, VerifiedToken } from './token-verification';

export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at most (least recently used go first). */
  maxTokens: number;
  /** The same tolerance the verifier allows on `exp`. */
  clockToleranceSeconds: number;
  now?: () => number;
}

/**
 * Remembers the tokens `inner` accepted, until each expires: a client sends the same token
 * with every request for its lifetime, and checking its RSA signature again each time costs
 * more CPU than the rest of a command's authentication. Only acceptances are cached (a
 * refusal is re-checked every time, so it never hides a later fix); an expired entry is
 * dropped and the token goes to `inner`, which refuses it as expired. A cached token stays
 * accepted until its `exp` even if its signing key is withdrawn meanwhile, as it would
 * within the JWKS cache time without this cache.
 */
export function cacheVerifiedTokens(inner: TokenVerifier, options: VerifiedTokenCacheOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  const accepted = new LRUCache<string, VerifiedToken>({ max: options.maxTokens });
  const stillValid = (token: VerifiedToken) =>
    now() < token.expiresAt.getTime() + options.clockToleranceSeconds * 1000;
  return {
    async verifyAccessToken(token): Promise<TokenVerification> {
      if (token !== undefined) {
        const known = accepted.get(token);
        if (known && stillValid(known)) return { ok: true, token: known };
        if (known) accepted.delete(token);
      }
      const verification = await inner.verifyAccessToken(token);
      if (!verification.ok || token === undefined || !stillValid(verification.token)) return verification;
      // Every request holding this token gets the same object: nobody may change it.
      const shared: VerifiedToken = Object.freeze({
        ...verification.token,
        roles: Object.freeze([...verification.token.roles]),
      });
      accepted.set(token, shared);
      return { ok: true, token: shared };
    },
  };
}
