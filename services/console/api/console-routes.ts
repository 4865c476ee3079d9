import { Router } from 'express';
import type { ConsoleApiDeps } from './console-api-deps';
import { eventWhereabouts, replayParked } from './pipeline-operations';
import { pipelineStatus } from './pipeline-status';
import { requireSameOrigin } from './same-origin';
import { serviceReads } from './service-reads';
import { currentSession, signOut } from './session';
import { finishSignIn, startSignIn } from './sign-in';
import { webAsset, webPage } from './web-page';

/**
 * The console's routes: the page and its bundle, sign-in and sign-out, the reads the pages
 * make (passed to the services with the user's token) and the pipeline operations (ops).
 * All on one router: the OpenAPI route check reads the routes of this router only.
 */
export function consoleRoutes(deps: ConsoleApiDeps): Router {
  const reads = serviceReads(deps);
  return Router()
    .use(requireSameOrigin)
    .get('/', webPage(deps.bundle))
    .get('/assets/:file', webAsset(deps.bundle))
    .get('/session/login', startSignIn(deps))
    .get('/session/callback', finishSignIn(deps))
    .get('/session', currentSession(deps.sessions))
    .delete('/session', signOut(deps.sessions))
    .get('/api/search/properties', reads.searchProperties)
    .get('/api/property/properties/:id', reads.property)
    .get('/api/property/properties/:id/events', reads.propertyEvents)
    .get('/api/analytics/markets/:city', reads.market)
    .get('/api/valuation/valuations/:id', reads.valuation)
    .get('/api/audit/audit', reads.audit)
    .get('/api/property/ops/feeds', reads.listingFeeds)
    .get('/api/console/pipeline', pipelineStatus(deps))
    .get('/api/console/whereabouts/:propertyId', eventWhereabouts(deps))
    .post('/api/console/projections/:service/parked/:aggregateId/replay', replayParked(deps));
}
