import type { Request } from 'express';
import { forbidden, unauthenticated } from '../../shared/http/caller';
import { SessionEndedError, type SessionStore } from '../session/session-store';
import { cookieOf, SESSION_COOKIE } from './console-cookies';

const OPS_RULE = 'console-ops-only';
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The access token the console calls the services with, and the roles it carries. */
export interface ConsoleCredential {
  token: string;
  roles: readonly string[];
}

/** The caller's access token and roles: the session's, else a bearer token's (scripts). */
export async function credentialOf(sessions: SessionStore, req: Request): Promise<ConsoleCredential> {
  const id = cookieOf(req, SESSION_COOKIE);
  const session = sessions.find(id);
  if (session && id) {
    try {
      return { token: await sessions.accessToken(id), roles: session.roles };
    } catch (error) {
      if (error instanceof SessionEndedError) throw unauthenticated(error.message);
      throw error;
    }
  }
  const bearer = BEARER.exec(req.header('authorization') ?? '')?.[1];
  if (req.caller && bearer) return { token: bearer, roles: req.caller.roles };
  throw unauthenticated('sign in to the console first (POST /session), or send a bearer token');
}

/** The caller's credential, if it holds the ops role; otherwise a 403. */
export async function opsCredentialOf(sessions: SessionStore, req: Request): Promise<ConsoleCredential> {
  const found = await credentialOf(sessions, req);
  if (!found.roles.includes('ops')) {
    throw forbidden(OPS_RULE, 'the Pipeline page and its operations need the ops role');
  }
  return found;
}
