import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { requireRole } from '../../shared/http/caller';
import type { PropertyApiDeps } from './property-api-deps';
import { propertyRules } from './property-access';
import type { feedReportJson } from './response-schemas';

/** GET /ops/feeds (ops): every listing feed's report, as `npm run feeds -- report` counts it. */
export function feedReportRead({ feedReports }: PropertyApiDeps): RequestHandler {
  return async (req, res) => {
    requireRole(req, propertyRules.feedsOpsOnly, 'ops');
    res.json({ sources: await feedReports() } satisfies z.output<typeof feedReportJson>);
  };
}
