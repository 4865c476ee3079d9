import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { IssuerUnavailableError } from '../../shared/auth/oidc-discovery';
import { authorizationCodeGrant, TokenRequestRefusedError } from '../../shared/auth/token-grants';
import { messageOf } from '../../shared/errors/message-of';
import { unauthenticated } from '../../shared/http/caller';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { PendingSignIn } from '../session/pending-sign-ins';
import { SessionEndedError, type Session } from '../session/session-store';
import type { ConsoleApiDeps } from './console-api-deps';
import { cookieOf, sessionCookie, SIGN_IN_COOKIE, signInCookie } from './console-cookies';
import { signInCallbackQuery, signInQuery } from './console-schemas';

/** How long a sign-in at the identity provider may take. */
const SIGN_IN_SECONDS = 600;

function identityProviderUnavailable(error: unknown): HttpProblem {
  return new HttpProblem(
    503,
    'Service unavailable',
    `the identity provider cannot be reached (${messageOf(error)}); try again shortly`,
    { dependency: 'the identity provider' },
    undefined,
    { 'Retry-After': '5' },
  );
}

/** GET /session/login: sends the browser to the identity provider's login page. */
export function startSignIn({ signIn }: ConsoleApiDeps): RequestHandler {
  return async (req, res) => {
    const { returnTo } = parseOr400(signInQuery, req.query, 'query');
    const authorizationEndpoint = await signIn.authorizationEndpoint().catch((error: unknown) => {
      throw identityProviderUnavailable(error);
    });
    // Keycloak lets a loopback redirect URI take any port (RFC 8252): the console's own, as reached.
    const redirectUri = `${req.protocol}://${req.get('host') ?? ''}/session/callback`;
    const pending = signIn.pending.start(redirectUri, returnTo);
    const authorize = new URL(authorizationEndpoint);
    authorize.search = new URLSearchParams({
      client_id: signIn.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: redirectUri,
      state: pending.state,
      code_challenge: pending.codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    res
      .set('Cache-Control', 'no-store')
      .set('Set-Cookie', signInCookie(pending.state, SIGN_IN_SECONDS))
      .status(303)
      .location(authorize.toString())
      .end();
  };
}

/** GET /session/callback: the identity provider sends the browser back; its code opens a session. */
export function finishSignIn(deps: ConsoleApiDeps): RequestHandler {
  return async (req, res) => {
    const query = parseOr400(signInCallbackQuery, req.query, 'query');
    const pending = pendingSignInOf(req, query, deps);
    if (query.error || !query.code) {
      throw unauthenticated(
        `the identity provider did not sign you in (${query.error ?? 'no code'}); sign in again`,
      );
    }
    const session = await openSession(deps, query.code, pending);
    res
      .set('Cache-Control', 'no-store')
      .append('Set-Cookie', sessionCookie(session.id, deps.sessionMaxAgeSeconds))
      .append('Set-Cookie', signInCookie('', 0))
      .status(303)
      .location(`/${pending.returnTo}`)
      .end();
  };
}

/** The sign-in a callback finishes: one this console started, for this browser (its cookie), once. */
function pendingSignInOf(
  req: Request,
  query: z.output<typeof signInCallbackQuery>,
  { signIn }: ConsoleApiDeps,
): PendingSignIn {
  const pending =
    cookieOf(req, SIGN_IN_COOKIE) === query.state ? signIn.pending.take(query.state) : undefined;
  if (!pending) {
    throw new HttpProblem(
      400,
      'Invalid request',
      'this sign-in was not started here, or has expired or been used: sign in again',
      {
        rule: 'console-sign-in-state',
      },
    );
  }
  return pending;
}

/** Trades the authorization code for tokens and opens a session with them. */
async function openSession(
  { sessions, signIn }: ConsoleApiDeps,
  code: string,
  pending: PendingSignIn,
): Promise<Session> {
  try {
    return await sessions.open(
      await authorizationCodeGrant({
        issuerUrl: signIn.issuerUrl,
        discoveryUrl: signIn.discoveryUrl,
        clientId: signIn.clientId,
        code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
      }),
    );
  } catch (error) {
    if (error instanceof TokenRequestRefusedError || error instanceof SessionEndedError) {
      throw unauthenticated('the identity provider refused the sign-in; sign in again');
    }
    if (error instanceof IssuerUnavailableError) throw identityProviderUnavailable(error);
    throw error;
  }
}
