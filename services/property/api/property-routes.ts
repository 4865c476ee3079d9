import { Router } from 'express';
import { feedReportRead } from './feed-report-read';
import type { PropertyApiDeps } from './property-api-deps';
import { listProperty, propertyCommands } from './property-commands';
import { propertyHistory, propertyState } from './property-queries';

/**
 * The write API of the property service: listing commands, current state, time travel,
 * history; and for operators, the listing feeds' report.
 */
export function propertyRoutes(deps: PropertyApiDeps): Router {
  const commands = propertyCommands(deps);
  return Router()
    .post('/properties', listProperty(deps))
    .post('/properties/:id/details', commands.updateDetails)
    .post('/properties/:id/price', commands.changePrice)
    .post('/properties/:id/offers', commands.receiveOffer)
    .post('/properties/:id/offers/:offerId/accept', commands.acceptOffer)
    .post('/properties/:id/offers/:offerId/reject', commands.rejectOffer)
    .post('/properties/:id/offers/:offerId/withdraw', commands.withdrawOffer)
    .post('/properties/:id/withdraw', commands.withdraw)
    .post('/properties/:id/relist', commands.relist)
    .get('/properties/:id', propertyState(deps))
    .get('/properties/:id/events', propertyHistory(deps))
    .get('/ops/feeds', feedReportRead(deps));
}
