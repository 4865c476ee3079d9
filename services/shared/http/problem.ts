import type { Response } from 'express';

/** One invalid input, named by its path in the request ("price.amount", "query.minPrice"). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An RFC 9457 problem: `type` identifies the kind of problem, `title` summarises it,
 * `detail` says what to do. Extra members (errors, rule) carry the specifics.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly type = `https://deedstream.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    /** Response headers that belong to the problem (Retry-After on a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  static validation(errors: FieldError[]): HttpProblem {
    return new HttpProblem(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      errors,
    });
  }

  static notFound(what: string): HttpProblem {
    return new HttpProblem(404, 'Not found', `${what} does not exist`);
  }
}

export function sendProblem(res: Response, problem: HttpProblem, instance?: string): void {
  res
    .status(problem.status)
    .set(problem.headers)
    .type('application/problem+json')
    .json({
      type: problem.type,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...(instance ? { instance } : {}),
      ...problem.extra,
    });
}
