import { errors } from '@elastic/elasticsearch';
import { HttpProblem } from '../../shared/http/problem';

export function isIndexNotFound(error: unknown): boolean {
  if (!(error instanceof errors.ResponseError)) return false;
  const body = error.body as { error?: { type?: string } } | undefined;
  return body?.error?.type === 'index_not_found_exception';
}

/** Before the projector has created its aliases there is nothing to read: a 503, not a 500. */
export async function unavailableWithoutIndex<T>(alias: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isIndexNotFound(error)) {
      throw new HttpProblem(
        503,
        'Analytics unavailable',
        `the analytics index "${alias}" does not exist yet; retry shortly`,
        {},
        undefined,
        { 'Retry-After': '5' },
      );
    }
    throw error;
  }
}
