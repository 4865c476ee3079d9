/**
 * An endpoint as printed by `status` and `up`: a URL's password is replaced by ***, so the
 * output can be pasted into an issue or a chat. Anything that is not a URL with a password
 * (e.g. Kafka's host:port) is returned as it is.
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
