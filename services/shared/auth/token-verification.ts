/** Why a bearer token was refused; each becomes 401 `error="invalid_token"` at the HTTP layer. */
export type TokenFailureReason =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_client';

/** Who the token speaks for, once its signature, issuer, audience and lifetime checked out. */
export interface VerifiedToken {
  /** `sub`: the user's stable id at the issuer. */
  subject: string;
  /** Realm roles (Keycloak's `realm_access.roles`). */
  roles: readonly string[];
  /** `preferred_username`, for logs and display only: never an identity (it may change). */
  username?: string;
  /** `azp`: the client the token was issued to. */
  clientId?: string;
  expiresAt: Date;
}

export type TokenVerification =
  | { ok: true; token: VerifiedToken }
  | {
      ok: false;
      reason: TokenFailureReason;
      /** One sentence fit for `error_description`: it never quotes the token or its claims. */
      description: string;
    };

export interface TokenVerifier {
  /**
   * Checks a bearer token (without the `Bearer ` prefix). A token problem is a result, not an
   * exception; an unreachable issuer throws IssuerUnavailableError (answer 503, not 401).
   */
  verifyAccessToken(token: string | undefined): Promise<TokenVerification>;
}
