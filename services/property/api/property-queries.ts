import type { RequestHandler } from 'express';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { PropertyApiDeps } from './property-api-deps';
import { propertyId } from './property-id';
import { ownerOf, propertyView } from '../domain/property';
import { Viewer } from './redaction';
import { etag, eventJson, propertyJson } from './representation';
import { historyQuery, stateQuery } from './request-schemas';

/** GET /properties/:id: the current state, or as it was at a time (`asOf`) or a `version`. */
export function propertyState({
  repository,
  agentCardView = async () => null,
}: PropertyApiDeps): RequestHandler {
  return async (req, res) => {
    const id = propertyId(String(req.params.id));
    const query = parseOr400(stateQuery, req.query, 'query');
    const asOf = query.asOf ? new Date(query.asOf) : undefined;
    const property = await repository.load(id, {
      ...(asOf ? { asOf } : {}),
      ...(query.version ? { toVersion: query.version } : {}),
    });
    if (!property) {
      throw HttpProblem.notFound(asOf ? `property ${id} as of ${asOf.toISOString()}` : `property ${id}`);
    }
    if (query.version && property.version < query.version) {
      throw HttpProblem.notFound(
        `version ${query.version} of property ${id} (latest is ${property.version})`,
      );
    }
    const view = propertyView(property);
    res
      .set('ETag', etag(property.version))
      .json(
        propertyJson(view, new Viewer(req.caller, ownerOf(property)), await agentCardView(view.listingAgent)),
      );
  };
}

/** GET /properties/:id/events: the stream, a page at a time. */
export function propertyHistory({ repository }: PropertyApiDeps): RequestHandler {
  return async (req, res) => {
    const id = propertyId(String(req.params.id));
    const query = parseOr400(historyQuery, req.query, 'query');
    const events = await repository.history(id, query.after, query.limit);
    if (events.length === 0 && query.after === 0) throw HttpProblem.notFound(`property ${id}`);
    // Who owns it decides who sees buyers' ids; a page after the first needs the first event.
    const firstVersion = await repository.load(id, { toVersion: 1 });
    const owner = firstVersion ? ownerOf(firstVersion) : null;
    const viewer = new Viewer(req.caller, owner);
    const last = events.at(-1);
    res.json({
      events: events.map((event) => eventJson(event, viewer)),
      next:
        last && events.length === query.limit
          ? `/properties/${id}/events?after=${last.version}&limit=${query.limit}`
          : null,
    });
  };
}
