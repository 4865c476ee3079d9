import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_ID_ATTRIBUTE, tracer } from '../observability/trace-context';

/**
 * The HTTP server span of each request whose trace is recorded: a child of the caller's
 * traceparent (which decides for its trace), else a new trace if the sampler picks it. The
 * rest of the request runs in its context, so the event store's spans and the traceparent
 * stored with the events continue it. A request outside a recorded trace runs as if
 * tracing were off: no span, no context. Named like `post /properties` (the route, not the URL).
 */
export function traceRequests(req: Request, res: Response, next: NextFunction): void {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method.toLowerCase();
  const span = tracer.startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
    parent,
  );
  if (!span.isRecording()) {
    next();
    return;
  }
  res.on('finish', () => {
    const route = (req.route as { path?: string } | undefined)?.path;
    span.updateName(route ? `${method} ${route}` : method);
    if (route) span.setAttribute('http.route', route);
    span.setAttribute('http.response.status_code', res.statusCode);
    const correlationId = res.getHeader('x-correlation-id');
    if (typeof correlationId === 'string') span.setAttribute(CORRELATION_ID_ATTRIBUTE, correlationId);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}
