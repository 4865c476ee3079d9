import { randomBytes } from 'node:crypto';
import { refreshGrant, type GrantedTokens } from '../../shared/auth/token-grants';
import type { TokenVerifier } from '../../shared/auth/token-verification';
import { messageOf } from '../../shared/errors/message-of';

/** A signed-in console user. The tokens never leave the server; the browser holds only the session id. */
export interface Session {
  id: string;
  username: string;
  subject: string;
  roles: readonly string[];
  /** Epoch ms after which the session is dropped unless used. */
  idleUntil: number;
}

interface HeldSession extends Session {
  accessToken: string;
  /** Epoch ms when the access token must be refreshed (30 s before it expires). */
  refreshAt: number;
  refreshToken: string | undefined;
}

export interface SessionStoreOptions {
  issuerUrl: string;
  /** Where the issuer is reached from this process (OIDC_DISCOVERY_URL), if not at issuerUrl. */
  discoveryUrl?: string;
  clientId: string;
  verifier: TokenVerifier;
  idleMs: number;
  /** Sessions held at most; signing in beyond them signs out the least recently used. */
  maxSessions: number;
  /** How long before its expiry an access token is refreshed (default 30 s). */
  refreshMarginMs?: number;
}

/** Thrown when the tokens a session holds were refused (or the session is unknown): sign in again. */
export class SessionEndedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionEndedError';
  }
}

/**
 * The console's sessions, in memory (a restart signs everyone out; replicas of the console
 * would need sticky sessions), at most `maxSessions` of them. Signing in happens at the
 * identity provider (see PendingSignIns); the access token is refreshed with the refresh
 * token shortly before it expires.
 */
export class SessionStore {
  private readonly sessions = new Map<string, HeldSession>();

  constructor(private readonly options: SessionStoreOptions) {}

  /** A new session holding the tokens a sign-in was granted (verified here first). */
  async open(granted: GrantedTokens): Promise<Session> {
    const held = await this.hold(randomBytes(32).toString('base64url'), granted);
    this.expire();
    // The map keeps the order of last use (find moves a session to its end): the first is the stalest.
    for (const stalest of this.sessions.keys()) {
      if (this.sessions.size < this.options.maxSessions) break;
      this.sessions.delete(stalest);
    }
    this.sessions.set(held.id, held);
    return publicView(held);
  }

  /** The session, if it exists and is not idle for too long. */
  find(id: string | undefined): Session | undefined {
    this.expire();
    const held = id === undefined ? undefined : this.sessions.get(id);
    if (!held || id === undefined) return undefined;
    held.idleUntil = Date.now() + this.options.idleMs;
    this.sessions.delete(id);
    this.sessions.set(id, held);
    return publicView(held);
  }

  /** A current access token of the session, refreshed when it is about to expire. */
  async accessToken(id: string): Promise<string> {
    const held = this.sessions.get(id);
    if (!held) throw new SessionEndedError('no such session; sign in again');
    if (Date.now() < held.refreshAt) return held.accessToken;
    if (!held.refreshToken) {
      this.sessions.delete(id);
      throw new SessionEndedError('the session expired; sign in again');
    }
    try {
      const granted = await refreshGrant({
        issuerUrl: this.options.issuerUrl,
        discoveryUrl: this.options.discoveryUrl,
        clientId: this.options.clientId,
        refreshToken: held.refreshToken,
      });
      const renewed = await this.hold(id, granted);
      this.sessions.set(id, { ...renewed, idleUntil: held.idleUntil });
      return renewed.accessToken;
    } catch (error) {
      this.sessions.delete(id);
      throw new SessionEndedError(`the session ended (${messageOf(error)}); sign in again`);
    }
  }

  signOut(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  private async hold(id: string, granted: GrantedTokens): Promise<HeldSession> {
    const verification = await this.options.verifier.verifyAccessToken(granted.accessToken);
    if (!verification.ok)
      throw new SessionEndedError(`the issued token was refused: ${verification.description}`);
    const { subject, roles, username, expiresAt } = verification.token;
    const lifetimeMs =
      granted.expiresIn !== undefined ? granted.expiresIn * 1000 : expiresAt.getTime() - Date.now();
    return {
      id,
      username: username ?? subject,
      subject,
      roles,
      idleUntil: Date.now() + this.options.idleMs,
      accessToken: granted.accessToken,
      refreshAt: Date.now() + Math.max(0, lifetimeMs - (this.options.refreshMarginMs ?? 30_000)),
      refreshToken: granted.refreshToken,
    };
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, held] of this.sessions) if (held.idleUntil < now) this.sessions.delete(id);
  }
}

function publicView(held: HeldSession): Session {
  return {
    id: held.id,
    username: held.username,
    subject: held.subject,
    roles: held.roles,
    idleUntil: held.idleUntil,
  };
}
