import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { CommandRunner } from '../../shared/http/command-runner';
import type { EventSourcedRepository } from '../../shared/event-sourcing/repository';
import { versionFromIfMatch } from '../../shared/http/conditional';
import { idempotentRequest, type HttpResult } from '../../shared/http/idempotency';
import { forbidden, hasRole, requireCaller, requireRole, type Caller } from '../../shared/http/caller';
import { HttpProblem } from '../../shared/http/problem';
import { CONSISTENCY_HEADER } from '../../shared/http/read-model';
import { parseConsistencyToken } from '../../shared/projection/consistency-token';
import { sendResult } from '../../shared/http/send-result';
import { parseOr400 } from '../../shared/http/validation';
import { Property } from '../domain/property';
import type { ListingAgentCard, PropertyEvent } from '../published/property-events';
import type { PublicAgentCard } from '../published/listing-agent-view';
import {
  changePriceBody,
  historyQuery,
  listPropertyBody,
  reasonBody,
  receiveOfferBody,
  relistBody,
  stateQuery,
  updateDetailsBody,
} from './request-schemas';
import { offerBuyerOnly, ownerOnly, propertyRules } from './property-access';
import { Viewer } from './redaction';
import { consistencyToken, etag, eventJson, moneyFromBody, propertyJson } from './representation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PropertyRoutesDeps {
  runner: CommandRunner<PropertyEvent, Property>;
  repository: EventSourcedRepository<PropertyEvent, Property>;
  /** The card an agent's listing carries (from their profile); null for a seller. */
  listingAgentOf?: (caller: Caller) => Promise<ListingAgentCard | null>;
  /**
   * Waits (bounded, else a 503) until the agent's card has the version of a profile
   * consistency token ("<personId>@<version>" from PUT /people/me).
   */
  awaitAgentCard?: (token: string) => Promise<void>;
  /** The public card of a listing's agent, decrypted now (erased once their key is gone). */
  agentCardView?: (card: ListingAgentCard | null) => Promise<PublicAgentCard | null>;
  clock?: () => Date;
}

/** The write API of the property service: listing commands, current state, time travel, history. */
export function propertyRoutes({
  runner,
  repository,
  listingAgentOf = async () => null,
  awaitAgentCard = async () => undefined,
  agentCardView = async () => null,
  clock = () => new Date(),
}: PropertyRoutesDeps): Router {
  const router = Router();

  /** Version-stamped answer to a command on an existing property. */
  const accepted = (property: Property, status = 200, extra: object = {}): HttpResult => ({
    status,
    body: {
      id: property.id,
      version: property.version,
      consistencyToken: consistencyToken(property.id, property.version),
      ...extra,
    },
    headers: { ETag: etag(property.version), Location: `/properties/${property.id}` },
  });

  /**
   * Runs a command on /properties/:id…: needs a caller, validates the body, honours If-Match
   * and Idempotency-Key (per caller: one user's key never replays another's answer), and
   * lets `execute` check the access rule and call the aggregate, so a refusal writes nothing.
   */
  const command = <S extends z.ZodType>(
    schema: S,
    execute: (property: Property, body: z.infer<S>, caller: Caller, req: Request) => HttpResult,
  ) => {
    return async (req: Request<{ id: string }>, res: Response) => {
      const caller = requireCaller(req);
      const id = propertyId(req.params.id);
      const body = parseOr400(schema, req.body ?? {});
      const result = await runner.run({
        describe: `property ${id}`,
        load: () => repository.load(id),
        expectedVersion: versionFromIfMatch(req.header('if-match')),
        context: req.commandContext,
        idempotency: idempotentRequest(
          req.header('idempotency-key'),
          `${caller.subject} ${req.method} ${req.baseUrl}${req.path}`,
          body,
        ),
        execute: (property) => execute(property, body, caller, req),
      });
      sendResult(res, result);
    };
  };

  router.post('/properties', async (req, res) => {
    const caller = requireRole(req, propertyRules.listAsSellerOrAgent, 'seller', 'agent');
    const body = parseOr400(listPropertyBody, req.body);
    const profileToken = req.header(CONSISTENCY_HEADER);
    if (profileToken !== undefined) {
      if (parseConsistencyToken(profileToken).aggregateId !== caller.subject) {
        throw HttpProblem.validation([
          {
            field: `header.${CONSISTENCY_HEADER}`,
            message: 'names another person: send the token your own PUT /people/me answered with',
          },
        ]);
      }
      if (hasRole(caller, 'agent')) await awaitAgentCard(profileToken);
    }
    const listingAgent = hasRole(caller, 'agent') ? await listingAgentOf(caller) : null;
    const result = await runner.run({
      describe: 'new property',
      create: () =>
        Property.list(
          randomUUID(),
          {
            address: body.address,
            price: moneyFromBody(body.price),
            bedrooms: body.bedrooms,
            bathrooms: body.bathrooms,
            areaSqm: body.areaSqm,
            propertyType: body.type,
            description: body.description ?? null,
            ownerId: caller.subject,
            listingAgent,
          },
          clock(),
        ),
      context: req.commandContext,
      idempotency: idempotentRequest(
        req.header('idempotency-key'),
        `${caller.subject} POST /properties`,
        body,
      ),
      execute: (property) => accepted(property, 201),
    });
    sendResult(res, result);
  });

  router.post(
    '/properties/:id/details',
    command(updateDetailsBody, (property, body, caller) => {
      ownerOnly(property, caller, 'change its details');
      property.updateDetails({
        address: body.address ?? null,
        bedrooms: body.bedrooms ?? null,
        bathrooms: body.bathrooms ?? null,
        areaSqm: body.areaSqm ?? null,
        propertyType: body.type ?? null,
        description: body.description ?? null,
      });
      return accepted(property);
    }),
  );

  router.post(
    '/properties/:id/price',
    command(changePriceBody, (property, body, caller) => {
      ownerOnly(property, caller, 'change its price');
      property.changePrice(moneyFromBody(body.price));
      return accepted(property);
    }),
  );

  router.post(
    '/properties/:id/offers',
    command(receiveOfferBody, (property, body, caller) => {
      if (!hasRole(caller, 'buyer')) {
        throw forbidden(propertyRules.offerAsBuyer, 'only a buyer makes offers');
      }
      if (body.buyerId !== undefined && body.buyerId !== caller.subject) {
        throw forbidden(
          propertyRules.offerBuyerIsCaller,
          'an offer is made in your own name: leave buyerId out or give your own id',
        );
      }
      const offerId = randomUUID();
      property.receiveOffer(offerId, caller.subject, moneyFromBody(body.amount));
      return accepted(property, 201, { offerId });
    }),
  );

  const offerCommand = (
    allowed: (property: Property, offerId: string, caller: Caller) => void,
    act: (property: Property, offerId: string, reason: string | null) => void,
  ) =>
    command(reasonBody, (property, body, caller, req) => {
      const offerId = String(req.params.offerId);
      allowed(property, offerId, caller);
      act(property, offerId, body.reason ?? null);
      return accepted(property);
    });
  const ownerDecides = (what: string) => (property: Property, _offerId: string, caller: Caller) =>
    ownerOnly(property, caller, what);
  router.post(
    '/properties/:id/offers/:offerId/accept',
    offerCommand(ownerDecides('accept an offer'), (p, offerId) => p.acceptOffer(offerId)),
  );
  router.post(
    '/properties/:id/offers/:offerId/reject',
    offerCommand(ownerDecides('reject an offer'), (p, offerId, reason) => p.rejectOffer(offerId, reason)),
  );
  router.post(
    '/properties/:id/offers/:offerId/withdraw',
    offerCommand(offerBuyerOnly, (p, offerId) => p.withdrawOffer(offerId)),
  );

  router.post(
    '/properties/:id/withdraw',
    command(reasonBody, (property, body, caller) => {
      ownerOnly(property, caller, 'withdraw it');
      property.withdrawListing(body.reason ?? null);
      return accepted(property);
    }),
  );

  router.post(
    '/properties/:id/relist',
    command(relistBody, (property, body, caller) => {
      ownerOnly(property, caller, 'relist it');
      property.relist(body.price ? moneyFromBody(body.price) : null);
      return accepted(property);
    }),
  );

  router.get('/properties/:id', async (req, res) => {
    const id = propertyId(req.params.id);
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
    const view = property.toView();
    res
      .set('ETag', etag(property.version))
      .json(
        propertyJson(view, new Viewer(req.caller, property.ownerId), await agentCardView(view.listingAgent)),
      );
  });

  router.get('/properties/:id/events', async (req, res) => {
    const id = propertyId(req.params.id);
    const query = parseOr400(historyQuery, req.query, 'query');
    const events = await repository.history(id, query.after, query.limit);
    if (events.length === 0 && query.after === 0) throw HttpProblem.notFound(`property ${id}`);
    // Who owns it decides who sees buyers' ids; a page after the first needs the first event.
    const owner = (await repository.load(id, { toVersion: 1 }))?.ownerId ?? null;
    const viewer = new Viewer(req.caller, owner);
    const last = events.at(-1);
    res.json({
      events: events.map((event) => eventJson(event, viewer)),
      next:
        last && events.length === query.limit
          ? `/properties/${id}/events?after=${last.version}&limit=${query.limit}`
          : null,
    });
  });

  return router;
}

/** Ids are UUIDs the service generated; anything else cannot name a property. */
function propertyId(raw: string): string {
  if (!UUID.test(raw)) throw HttpProblem.notFound(`property ${raw}`);
  return raw.toLowerCase();
}
