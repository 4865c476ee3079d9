import type { Request } from 'express';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import { consistencyTokenSchema } from './market-query';

export const CONSISTENCY_HEADER = 'X-Consistency-Token';

/**
 * Read-your-writes: the token from the `X-Consistency-Token` header or from the
 * `consistentWith` query parameter (already validated); two different tokens are a 400.
 */
export function consistencyTokenOf(req: Request, fromQuery: string | undefined): string | undefined {
  const header = req.header(CONSISTENCY_HEADER);
  const fromHeader =
    header === undefined
      ? undefined
      : parseOr400(consistencyTokenSchema, header, `header.${CONSISTENCY_HEADER}`);
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
    throw HttpProblem.validation([
      { field: `header.${CONSISTENCY_HEADER}`, message: 'differs from query.consistentWith; give one token' },
      { field: 'query.consistentWith', message: `differs from header ${CONSISTENCY_HEADER}; give one token` },
    ]);
  }
  return fromHeader ?? fromQuery;
}
