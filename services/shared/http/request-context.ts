import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { CommandContext } from '../domain/command-context';
import { HttpProblem } from './problem';

/** Correlation and causation ids: stored with every event, sent as Kafka headers, shown in traces. */
const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MESSAGE_ID_RULE = 'use 1-128 characters of letters, digits, ".", "_", ":" or "-"';
// W3C Trace Context: version-traceid-parentid-flags, lower-case hex, ids not all zero.
const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

declare module 'express-serve-static-core' {
  interface Request {
    commandContext: CommandContext;
  }
}

/**
 * Accepts X-Correlation-Id (or makes one), X-Causation-Id and W3C traceparent, echoes the correlation id,
 * and gives handlers the context that is stored with every event they cause.
 */
export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const given = req.header('x-correlation-id');
  const causationId = req.header('x-causation-id');
  const badIds = [
    ...(given !== undefined && !MESSAGE_ID.test(given) ? ['X-Correlation-Id'] : []),
    ...(causationId !== undefined && !MESSAGE_ID.test(causationId) ? ['X-Causation-Id'] : []),
  ];
  if (badIds.length > 0) {
    next(
      HttpProblem.validation(badIds.map((name) => ({ field: `header.${name}`, message: MESSAGE_ID_RULE }))),
    );
    return;
  }
  const traceparent = req.header('traceparent');
  if (traceparent !== undefined && !TRACEPARENT.test(traceparent)) {
    next(
      HttpProblem.validation([
        { field: 'header.traceparent', message: 'not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)' },
      ]),
    );
    return;
  }
  const correlationId = given ?? randomUUID();
  res.setHeader('X-Correlation-Id', correlationId);
  req.commandContext = {
    correlationId,
    causationId: causationId ?? null,
    traceparent: traceparent ?? null,
    // Who acted is the verified caller, never a header a client could set (X-Actor is ignored).
    actor: req.caller?.subject ?? null,
  };
  next();
}
