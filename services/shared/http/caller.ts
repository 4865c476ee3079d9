import type { Request } from 'express';
import { HttpProblem } from './problem';

/** Who sent a request, as its verified bearer token says. */
export interface Caller {
  /** The token's `sub`: the user's stable id, which services record as owner, buyer and actor. */
  subject: string;
  roles: readonly string[];
  /** For display only: names change, subjects do not. */
  username?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate` when the request carried a valid bearer token. */
    caller?: Caller;
  }
}

/** 401 with the `WWW-Authenticate` challenge RFC 6750 asks for. */
export function unauthenticated(detail: string, tokenError?: { description: string }): HttpProblem {
  const challenge = tokenError
    ? `Bearer realm="deedstream", error="invalid_token", error_description="${tokenError.description.replace(/"/g, "'")}"`
    : 'Bearer realm="deedstream"';
  return new HttpProblem(401, 'Unauthenticated', detail, {}, undefined, { 'WWW-Authenticate': challenge });
}

/** 403 naming the access rule that refused the caller. */
export function forbidden(rule: string, detail: string): HttpProblem {
  return new HttpProblem(403, 'Forbidden', detail, { rule });
}

/** The caller, or a 401 when the request carried no token. */
export function requireCaller(req: Request): Caller {
  if (!req.caller)
    throw unauthenticated('this request needs a bearer token (Authorization: Bearer <access token>)');
  return req.caller;
}

export function hasRole(caller: Caller | undefined, ...roles: readonly string[]): boolean {
  return caller !== undefined && roles.some((role) => caller.roles.includes(role));
}

/** The caller if it holds one of `roles`; otherwise a 403 naming `rule`. */
export function requireRole(req: Request, rule: string, ...roles: readonly string[]): Caller {
  const caller = requireCaller(req);
  if (!hasRole(caller, ...roles)) {
    throw forbidden(
      rule,
      `this needs the role ${roles.join(' or ')}; the token has ${caller.roles.filter((r) => !r.startsWith('default-roles')).join(', ') || 'none of them'}`,
    );
  }
  return caller;
}
