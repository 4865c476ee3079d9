import { HttpProblem } from '../shared/http/problem';
import { messageOf } from '../shared/errors/message-of';

/** What another service answered, as the console passes it on. */
export interface UpstreamAnswer {
  status: number;
  contentType: string;
  retryAfter: string | null;
  body: string;
}

/**
 * Calls another deedstream service with the caller's access token. A service that cannot be
 * reached is a 502 problem naming it (the console is up; what it fronts is not).
 */
export async function callUpstream(
  service: string,
  baseUrl: string,
  path: string,
  options: { method?: string; token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<UpstreamAnswer> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method: options.method ?? 'GET',
      headers: {
        Accept: 'application/json',
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new HttpProblem(
      502,
      'Bad gateway',
      `the ${service} service at ${baseUrl} cannot be reached (${messageOf(error)}); is it running?`,
      { service },
    );
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? 'application/json',
    retryAfter: response.headers.get('retry-after'),
    body: await response.text(),
  };
}

/** An upstream JSON answer, parsed; a non-2xx answer becomes the same problem here. */
export async function upstreamJson(
  service: string,
  baseUrl: string,
  path: string,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<unknown> {
  const answer = await callUpstream(service, baseUrl, path, options);
  const body: unknown = answer.body === '' ? undefined : JSON.parse(answer.body);
  if (answer.status >= 200 && answer.status < 300) return body;
  const problem = (body ?? {}) as { title?: string; detail?: string };
  throw new HttpProblem(
    answer.status,
    problem.title ?? 'Upstream error',
    `${service}: ${problem.detail ?? `HTTP ${answer.status}`}`,
    { service },
    undefined,
    answer.retryAfter ? { 'Retry-After': answer.retryAfter } : {},
  );
}
