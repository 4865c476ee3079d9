import type { NextFunction, Request, Response } from 'express';
import { IssuerUnavailableError } from '../auth/oidc-discovery';
import type { TokenVerifier } from '../auth/token-verification';
import { unauthenticated } from './caller';
import { HttpProblem } from './problem';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Verifies the bearer token a request carries and names its caller (`req.caller`). A
 * request without one goes on anonymously, and each route decides whether that is enough;
 * a request with a bad one (malformed, expired, wrongly signed or issued) is refused with
 * 401 here, whatever the route, so a broken token never passes for "no token". An issuer
 * that cannot be reached to fetch its keys is a 503, not the caller's fault.
 */
export function authenticate(verifier: TokenVerifier) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.header('authorization');
    if (header === undefined) {
      next();
      return;
    }
    const bearer = BEARER.exec(header);
    if (!bearer?.[1]) {
      next(
        unauthenticated('the Authorization header must be "Bearer <access token>"', {
          description: 'not a bearer token',
        }),
      );
      return;
    }
    try {
      const verification = await verifier.verifyAccessToken(bearer[1]);
      if (!verification.ok) {
        next(unauthenticated(`the bearer token was refused: ${verification.description}`, verification));
        return;
      }
      const { subject, roles, username } = verification.token;
      req.caller = { subject, roles, ...(username === undefined ? {} : { username }) };
      next();
    } catch (error) {
      if (!(error instanceof IssuerUnavailableError)) throw error;
      next(
        new HttpProblem(
          503,
          'Service unavailable',
          'the identity provider cannot be reached to check the token; nothing was changed, retry shortly',
          { dependency: 'the identity provider' },
          undefined,
          { 'Retry-After': '5' },
        ),
      );
    }
  };
}
