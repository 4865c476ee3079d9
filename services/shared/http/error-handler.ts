import type { ErrorRequestHandler } from 'express';
import { ConcurrencyError } from '../errors/concurrency-error';
import { DomainError } from '../errors/domain-error';
import { isTransient } from '../errors/transient';
import type { Logger } from '../observability/logger';
import { unavailableDependency } from './unavailable-dependency';
import { HttpProblem, sendProblem } from './problem';

/**
 * Turns every failure into a problem response; nothing reaches the client as an HTML
 * page or a stack trace. Unexpected errors are logged and answered with a plain 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    sendProblem(res, toProblem(error, logger), req.originalUrl);
  };
}

function toProblem(error: unknown, logger: Logger): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DomainError) {
    // "*-not-found" rules name a missing sub-entity (an offer): a 404, not a conflict.
    const status = error.rule.endsWith('-not-found') ? 404 : 409;
    return new HttpProblem(status, status === 404 ? 'Not found' : 'Business rule violated', error.message, {
      rule: error.rule,
    });
  }
  if (error instanceof ConcurrencyError) {
    return new HttpProblem(409, 'Concurrent modification', error.message, {
      rule: 'concurrent-modification',
    });
  }
  if (isTransient(error)) {
    // A dependency restarting or overloaded: nothing was written (the transaction failed);
    // the client may retry, so say when rather than answer 500.
    const dependency = unavailableDependency(error);
    logger.warn({ err: error, dependency }, 'request refused: a dependency is unavailable');
    return new HttpProblem(
      503,
      'Service unavailable',
      `${dependency} is unavailable right now; nothing was changed, retry shortly`,
      { dependency },
      undefined,
      { 'Retry-After': '2' },
    );
  }
  const bodyParserError = error as { type?: string; status?: number; message?: string };
  if (bodyParserError.type === 'entity.parse.failed') {
    return new HttpProblem(
      400,
      'Malformed JSON',
      `the request body is not valid JSON: ${bodyParserError.message}`,
    );
  }
  if (bodyParserError.type === 'entity.too.large') {
    return new HttpProblem(413, 'Payload too large', 'the request body exceeds the 1 MB limit');
  }
  if (bodyParserError.type === 'encoding.unsupported' || bodyParserError.type === 'charset.unsupported') {
    return new HttpProblem(415, 'Unsupported encoding', bodyParserError.message ?? 'send UTF-8 JSON');
  }
  // Any other refusal of the body parser (an http-errors 4xx: a body that claims a content
  // encoding it is not in, an aborted upload): the client's to fix, and safe to say.
  if (
    typeof bodyParserError.status === 'number' &&
    bodyParserError.status >= 400 &&
    bodyParserError.status < 500 &&
    (error as { expose?: unknown }).expose === true
  ) {
    return new HttpProblem(
      bodyParserError.status === 413 || bodyParserError.status === 415 ? bodyParserError.status : 400,
      'Unreadable body',
      `the request body could not be read: ${bodyParserError.message ?? 'malformed'}`,
    );
  }
  logger.error({ err: error }, 'unhandled error');
  return new HttpProblem(500, 'Internal error', 'an unexpected error occurred; it has been logged');
}
