import type { NextFunction, Request, Response } from 'express';
import { HttpProblem, type FieldError } from './problem';

// U+0000 cannot be stored in Postgres text or jsonb; a lone surrogate is not Unicode at all
// (it cannot be encoded as UTF-8, so it would be mangled or refused further down).
const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be accepted, or undefined when it can. */
export function unstorableTextReason(value: string): string | undefined {
  if (value.includes(NUL)) return 'contains U+0000 (NUL), which cannot be stored';
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/**
 * Every string (and object key) inside `value` that cannot be accepted, named by its path
 * the way validation errors name fields ("address.street", "query.q").
 */
export function findUnstorableText(value: unknown, path: string): FieldError[] {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    return reason ? [{ field: path || '(body)', message: reason }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnstorableText(item, at(index)));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const keyReason = unstorableTextReason(key);
      const named = at(keyReason ? JSON.stringify(key) : key);
      return [
        ...(keyReason ? [{ field: named, message: `the field name ${keyReason}` }] : []),
        ...findUnstorableText(item, named),
      ];
    });
  }
  return [];
}

/**
 * Refuses, with a 400 naming each field, a request whose body, query or path carries text
 * that cannot be stored, before any handler sees it. Without this a NUL in a street name
 * reached Postgres and came back as a 500.
 */
export function rejectUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const errors = [
    ...pathErrors(req.path),
    ...findUnstorableText(req.query, 'query'),
    ...(req.body === undefined ? [] : findUnstorableText(req.body, '')),
  ];
  next(errors.length > 0 ? HttpProblem.validation(errors) : undefined);
}

function pathErrors(path: string): FieldError[] {
  return path.split('/').flatMap((segment, index): FieldError[] => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return [{ field: `path.${index}`, message: `"${segment}" is not valid percent-encoded UTF-8` }];
    }
    const reason = unstorableTextReason(decoded);
    return reason ? [{ field: `path.${index}`, message: `path segment ${index} ${reason}` }] : [];
  });
}
