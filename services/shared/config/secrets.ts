/**
 * A URL with its password replaced by ***, so it can be printed, logged or pasted into an
 * issue. Anything that is not a URL with a password (e.g. Kafka's host:port) is returned
 * as it is.
 */
export function withoutPassword(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint;
  }
  if (url.password === '') return endpoint;
  url.password = '***';
  return url.toString();
}

/** Variables whose value is a secret by their name alone. */
const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|MASTER_KEY|PRIVATE_KEY|CREDENTIALS)/i;

/** A configuration value as an error message may show it: secrets hidden, URLs without passwords. */
export function printableValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'null';
  if (SECRET_NAME.test(name)) return '"***"';
  return JSON.stringify(withoutPassword(value));
}

/**
 * Where pino must never print a value: bearer tokens, passwords and secrets wherever they
 * appear in a logged object (a request's headers, an error's config).
 */
export const redactedLogPaths = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'secret',
  '*.secret',
];
