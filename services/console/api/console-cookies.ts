import type { Request } from 'express';

export const SESSION_COOKIE = 'deedstream_console';
export const SIGN_IN_COOKIE = 'deedstream_console_sign_in';

/** The value of one cookie of the request (no cookie parser: one cookie is all the console reads). */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}

/**
 * Binds a sign-in's `state` to the browser that started it, so a callback URL made by
 * someone else cannot sign this browser in as them (login CSRF). Lax: the callback is a
 * navigation back from the identity provider, which may be another site.
 */
export function signInCookie(state: string, maxAgeSeconds: number): string {
  return `${SIGN_IN_COOKIE}=${state}; HttpOnly; SameSite=Lax; Path=/session; Max-Age=${maxAgeSeconds}`;
}
