import type { NextFunction, Request, Response } from 'express';
import { forbidden } from '../../shared/http/caller';

export const SAME_ORIGIN_RULE = 'console-same-origin';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request that a browser sent from another origin. The session
 * cookie is SameSite=Strict, but every port of a host is the same *site*: a page served
 * from another port of 127.0.0.1 could still post with the cookie. Browsers say where a
 * request comes from (`Sec-Fetch-Site`, else `Origin`), and only the console's own origin,
 * or a user typing the address (`none`), may change anything. A request with neither
 * header came from no browser page (a script or the CLI) and carries no ambient cookie of
 * a victim's.
 */
export function requireSameOrigin(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.header('sec-fetch-site');
  const origin = req.header('origin');
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  const allowed =
    site !== undefined ? site === 'same-origin' || site === 'none' : origin === undefined || origin === own;
  if (allowed) return next();
  next(
    forbidden(
      SAME_ORIGIN_RULE,
      `a request from ${origin ?? `another site (Sec-Fetch-Site: ${site})`} may not change anything in the console at ${own}`,
    ),
  );
}
