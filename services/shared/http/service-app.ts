import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../observability/logger';
import type { ServiceMetrics } from '../observability/metrics';
import type { ReadinessReport } from './readiness';
import type { TokenVerifier } from '../auth/token-verification';
import { authenticate } from './authenticate';
import type { ApiDescription } from './openapi/api-description';
import { apiDocsRoutes } from './openapi/api-docs';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { assertRoutesDescribed } from './openapi/route-coverage';
import { errorHandler } from './error-handler';
import { HttpProblem } from './problem';
import { requestContext } from './request-context';
import { traceRequests } from './trace-requests';
import { rejectDeepNesting } from './nesting-depth';
import { rejectUnstorableText } from './unstorable-text';
import { messageOf } from '../errors/message-of';

export interface ServiceAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  /** Checks the bearer token of every request that carries one (see authenticate). */
  verifier: TokenVerifier;
  routes: Router;
  /** Every route of `routes`, described: served as /openapi.json and /docs. */
  api: ApiDescription;
  /** Whether the process can serve: its dependencies answer and its consumers are members. */
  readiness: () => Promise<ReadinessReport>;
  /** Service-specific details for /health (lag, consumer state). */
  details: () => Promise<Record<string, unknown>>;
}

/**
 * The express app every service shares: JSON bodies of bounded depth, text Postgres can store, bearer
 * tokens checked, correlation ids, request metrics, health and metrics endpoints (open,
 * like every GET a route leaves open), problem+json errors and 404s, and the API's own
 * description: `/openapi.json` (OpenAPI 3.1) and `/docs` (Swagger UI), open as well.
 *
 * - `/health/live`: the process and its event loop work (an orchestrator restarts it otherwise);
 * - `/health/ready`: its dependencies answer (503 with the failing checks otherwise);
 * - `/health`: readiness plus the service's own details, for people.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  // A route without an operation (or an operation without a route) stops the service here.
  assertRoutesDescribed(options.routes, options.api);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', pid: process.pid, uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/health/ready', async (_req, res) => {
    const report = await options.readiness();
    if (!report.ready) res.status(503).set('Retry-After', '2');
    res.json({ status: report.ready ? 'ready' : 'unavailable', pid: process.pid, checks: report.checks });
  });
  app.get('/health', async (_req, res) => {
    const [report, details] = await Promise.all([
      options.readiness(),
      options.details().catch((error: unknown) => ({ detailsError: messageOf(error) })),
    ]);
    if (!report.ready) res.status(503).set('Retry-After', '2');
    res.json({
      status: report.ready ? 'ok' : 'unavailable',
      pid: process.pid,
      checks: report.checks,
      ...details,
    });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });

  app.use(apiDocsRoutes(buildOpenApiDocument(options.api, API_VERSION)));

  app.use(traceRequests);
  app.use(measure(options.metrics));
  app.use(express.json({ limit: '1mb', strict: true }));
  app.use(rejectDeepNesting);
  app.use(rejectUnstorableText);
  app.use(authenticate(options.verifier));
  app.use(requestContext);
  app.use(options.routes);
  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new HttpProblem(404, 'Not found', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(options.logger));
  return app;
}

/** The version of the APIs' contract (info.version of each document), not of a build. */
const API_VERSION = '0.1.0';

function measure(metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // The matched route pattern, not the URL, keeps label cardinality bounded.
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ method: req.method, route });
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
