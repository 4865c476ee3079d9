import type { Request, RequestHandler, Response } from 'express';
import { parseOr400 } from '../../shared/http/validation';
import type { UpstreamName } from '../console-config';
import { callUpstream } from '../upstream';
import type { ConsoleApiDeps } from './console-api-deps';
import { credentialOf } from './console-credentials';
import { anyIdParam, cityParam } from './console-schemas';

/** The raw query string of the request ("?a=1&b=2", or ""), passed on as it came. */
function queryStringOf(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at);
}

/** The reads the pages make of the services, passed on with the user's token. */
export function serviceReads({ sessions, upstreams }: ConsoleApiDeps) {
  /** A read passed on with the user's token; the answer comes back as the service gave it. */
  const passOn = async (req: Request, res: Response, service: UpstreamName, path: string) => {
    const { token } = await credentialOf(sessions, req);
    const answer = await callUpstream(service, upstreams[service], `${path}${queryStringOf(req)}`, { token });
    if (answer.retryAfter) res.set('Retry-After', answer.retryAfter);
    res.status(answer.status).type(answer.contentType).send(answer.body);
  };
  const searchProperties: RequestHandler = (req, res) => passOn(req, res, 'search', '/search/properties');
  const property: RequestHandler<{ id: string }> = (req, res) => {
    const id = parseOr400(anyIdParam, req.params.id, 'path.id');
    return passOn(req, res, 'property', `/properties/${encodeURIComponent(id)}`);
  };
  const propertyEvents: RequestHandler<{ id: string }> = (req, res) => {
    const id = parseOr400(anyIdParam, req.params.id, 'path.id');
    return passOn(req, res, 'property', `/properties/${encodeURIComponent(id)}/events`);
  };
  const market: RequestHandler<{ city: string }> = (req, res) => {
    const city = parseOr400(cityParam, req.params.city, 'path.city');
    return passOn(req, res, 'analytics', `/analytics/markets/${encodeURIComponent(city)}`);
  };
  const valuation: RequestHandler<{ id: string }> = (req, res) => {
    const id = parseOr400(anyIdParam, req.params.id, 'path.id');
    return passOn(req, res, 'valuation', `/valuations/${encodeURIComponent(id)}`);
  };
  const audit: RequestHandler = (req, res) => passOn(req, res, 'audit', '/audit');
  const listingFeeds: RequestHandler = (req, res) => passOn(req, res, 'property', '/ops/feeds');
  return { searchProperties, property, propertyEvents, market, valuation, audit, listingFeeds };
}
