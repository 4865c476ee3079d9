import type {
  TokenVerification,
  TokenVerifier,
  VerifiedToken,
} from '../../services/shared/auth/token-verification';

/**
 * A token verifier that knows a fixed set of tokens, each checked once by the real verifier
 * when the set is made, and answers from memory afterwards: the same callers and roles as
 * verification in production, without its per-request cost. bench:commands runs one
 * property service with it beside one with the real verifier to measure that cost.
 */
export class PreverifiedTokens implements TokenVerifier {
  private constructor(private readonly known: ReadonlyMap<string, VerifiedToken>) {}

  static async of(verifier: TokenVerifier, tokens: readonly string[]): Promise<PreverifiedTokens> {
    const known = new Map<string, VerifiedToken>();
    for (const token of tokens) {
      const verification = await verifier.verifyAccessToken(token);
      if (!verification.ok) throw new Error(`a benchmark token was refused: ${verification.description}`);
      known.set(token, verification.token);
    }
    return new PreverifiedTokens(known);
  }

  async verifyAccessToken(token: string | undefined): Promise<TokenVerification> {
    const verified = token === undefined ? undefined : this.known.get(token);
    if (verified) return { ok: true, token: verified };
    return {
      ok: false,
      reason: 'bad_signature',
      description: 'not one of the tokens this benchmark verified',
    };
  }
}
