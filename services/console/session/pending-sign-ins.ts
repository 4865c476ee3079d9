import { createHash, randomBytes } from 'node:crypto';

/** A sign-in the console sent to the identity provider and has not seen come back yet. */
export interface PendingSignIn {
  /** The `state` parameter: names this sign-in, and is bound to the browser by a cookie. */
  state: string;
  /** The PKCE secret (RFC 7636): only its S256 hash travels with the browser. */
  codeVerifier: string;
  codeChallenge: string;
  redirectUri: string;
  /** Where in the console to go once signed in (a `#/…` route). */
  returnTo: string;
  expiresAt: number;
}

/**
 * The sign-ins under way, in memory, each usable once and only for `ttlMs`, at most
 * `capacity` of them (the oldest go first: anyone may start a sign-in, so the map must
 * not grow with them).
 */
export class PendingSignIns {
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(
    private readonly ttlMs = 600_000,
    private readonly capacity = 1_000,
  ) {}

  start(redirectUri: string, returnTo: string): PendingSignIn {
    const now = Date.now();
    for (const [state, sign] of this.pending) if (sign.expiresAt < now) this.pending.delete(state);
    for (const oldest of this.pending.keys()) {
      if (this.pending.size < this.capacity) break;
      this.pending.delete(oldest);
    }
    const codeVerifier = randomBytes(32).toString('base64url');
    const signIn: PendingSignIn = {
      state: randomBytes(24).toString('base64url'),
      codeVerifier,
      codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      redirectUri,
      returnTo,
      expiresAt: now + this.ttlMs,
    };
    this.pending.set(signIn.state, signIn);
    return signIn;
  }

  /** The sign-in named by `state`, removed (a state is good once); undefined if unknown or expired. */
  take(state: string): PendingSignIn | undefined {
    const signIn = this.pending.get(state);
    this.pending.delete(state);
    return signIn && signIn.expiresAt >= Date.now() ? signIn : undefined;
  }
}
