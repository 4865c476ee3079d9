import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../observability/logger';
import type { ServiceMetrics } from '../observability/metrics';
import { errorHandler } from './error-handler';
import { HttpProblem } from './problem';
import { requestContext } from './request-context';

export interface ServiceAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  /** Readiness details for /health; a failing check makes it answer 503. */
  health: () => Promise<Record<string, unknown>>;
  routes: (app: Express) => void;
}

/**
 * The express app every service shares: JSON bodies, correlation ids, request metrics,
 * /health and /metrics, problem+json errors and 404s. Services add only their routes.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.get('/health', async (_req, res) => {
    try {
      res.json({ status: 'ok', ...(await options.health()) });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', reason: (error as Error).message });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });

  app.use(measure(options.metrics));
  app.use(express.json({ limit: '1mb', strict: true }));
  app.use(requestContext);
  options.routes(app);
  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new HttpProblem(404, 'Not found', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(options.logger));
  return app;
}

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
