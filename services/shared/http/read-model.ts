import { errors, type Client } from '@elastic/elasticsearch';
import type { Request } from 'express';
import { z } from 'zod';
import { HttpProblem } from './problem';
import { parseOr400 } from './validation';

export const CONSISTENCY_HEADER = 'X-Consistency-Token';

/** A consistency token as a query parameter or header carries it (its syntax is checked on use). */
export const consistencyTokenParam = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(200, 'at most 200 characters');

/**
 * Read-your-writes: the token from the `X-Consistency-Token` header or from the
 * `consistentWith` query parameter (already validated); two different tokens are a 400.
 */
export function consistencyTokenOf(req: Request, fromQuery: string | undefined): string | undefined {
  const header = req.header(CONSISTENCY_HEADER);
  const fromHeader =
    header === undefined
      ? undefined
      : parseOr400(consistencyTokenParam, header, `header.${CONSISTENCY_HEADER}`);
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
    throw HttpProblem.validation([
      { field: `header.${CONSISTENCY_HEADER}`, message: 'differs from query.consistentWith; give one token' },
      { field: 'query.consistentWith', message: `differs from header ${CONSISTENCY_HEADER}; give one token` },
    ]);
  }
  return fromHeader ?? fromQuery;
}

export function isIndexNotFound(error: unknown): boolean {
  if (!(error instanceof errors.ResponseError)) return false;
  const body = error.body as { error?: { type?: string } } | undefined;
  return body?.error?.type === 'index_not_found_exception';
}

/** Before a projector has created its alias there is nothing to read: a 503, not a 500. */
export async function unavailableWithoutIndex<T>(
  what: string,
  alias: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isIndexNotFound(error)) {
      throw new HttpProblem(
        503,
        `${what} unavailable`,
        `the ${what.toLowerCase()} index "${alias}" does not exist yet; retry shortly`,
        {},
        undefined,
        { 'Retry-After': '5' },
      );
    }
    throw error;
  }
}

/** One document of a read model by id, undefined if there is none; no index yet is a 503. */
export function readModelDocument<D>(
  es: Client,
  what: string,
  alias: string,
  id: string,
): Promise<D | undefined> {
  return unavailableWithoutIndex(what, alias, async () => {
    try {
      return (await es.get<D>({ index: alias, id }))._source;
    } catch (error) {
      // A missing document is a 404 with found=false; a missing index is not "not found".
      if (error instanceof errors.ResponseError && error.statusCode === 404 && !isIndexNotFound(error)) {
        return undefined;
      }
      throw error;
    }
  });
}
