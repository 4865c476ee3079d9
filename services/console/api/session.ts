import type { RequestHandler } from 'express';
import type { z } from 'zod';
import type { SessionStore } from '../session/session-store';
import { cookieOf, SESSION_COOKIE, sessionCookie } from './console-cookies';
import type { sessionView } from './console-schemas';

/** GET /session: who is signed in. */
export function currentSession(sessions: SessionStore): RequestHandler {
  return (req, res) => {
    const session = sessions.find(cookieOf(req, SESSION_COOKIE));
    // Not signed in is an answer, not an error: the page asks on every load.
    if (!session) {
      res.status(204).end();
      return;
    }
    res.json({
      username: session.username,
      subject: session.subject,
      roles: [...session.roles],
    } satisfies z.output<typeof sessionView>);
  };
}

/** DELETE /session: ends the session and clears its cookie. */
export function signOut(sessions: SessionStore): RequestHandler {
  return (req, res) => {
    sessions.signOut(cookieOf(req, SESSION_COOKIE));
    res.set('Set-Cookie', sessionCookie('', 0)).status(204).end();
  };
}
