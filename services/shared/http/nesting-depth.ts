import type { NextFunction, Request, Response } from 'express';
import { HttpProblem } from './problem';

/**
 * The deepest nesting a request body may have. The APIs' own bodies nest at most four
 * levels (a listing's address inside its details); 32 leaves room for any client's
 * envelope while keeping every recursive walk further down (text checks, idempotency
 * hashing, validation) far from the stack's limit.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * How deep `value` nests arrays and objects, counted without recursion (a body nested
 * thousands deep must not exhaust the stack here), stopping as soon as `limit` is passed:
 * the answer is then `limit + 1`.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > limit) return limit + 1;
    deepest = Math.max(deepest, depth);
    const children: unknown[] = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) pending.push({ value: child, depth });
  }
  return deepest;
}

/** Refuses, with a 400, a body nested deeper than MAX_BODY_DEPTH, before anything walks it. */
export function rejectDeepNesting(req: Request, _res: Response, next: NextFunction): void {
  if (req.body === undefined || nestingDepth(req.body, MAX_BODY_DEPTH) <= MAX_BODY_DEPTH) return next();
  next(
    HttpProblem.validation([
      { field: '(body)', message: `nests deeper than ${MAX_BODY_DEPTH} levels of arrays and objects` },
    ]),
  );
}
