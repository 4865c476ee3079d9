import { randomUUID } from 'node:crypto';
import type { signInLocalUsers } from './local-users';

/** The local users the demo acts as, signed in. */
export type LocalUsers = Awaited<ReturnType<typeof signInLocalUsers>>;

/** POSTs a JSON body as a local user (`as`), and answers the JSON the service answered. */
export type DemoPost = (
  as: string,
  path: string,
  body: unknown,
  headers?: Record<string, string>,
) => Promise<Record<string, unknown>>;

/**
 * A POST to one service's API as a local user: each request its own idempotency key, and
 * an error answer fails the demo with the service's own words.
 */
export function demoPost(people: LocalUsers, api: string): DemoPost {
  return async (as, path, body, headers = {}) => {
    const response = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
        Authorization: `Bearer ${await people.token(as)}`,
        ...headers,
      },
      body: JSON.stringify(body),
    });
    if (response.status >= 400)
      throw new Error(`POST ${api}${path} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
}

/** Fails at once, with what to do, when the property service is not running. */
export async function requirePropertyService(api: string): Promise<void> {
  try {
    await fetch(`${api}/health`);
  } catch {
    throw new Error(
      `the property service is not answering at ${api}: start it with \`npm start\` in another terminal`,
    );
  }
}
