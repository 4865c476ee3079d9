import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { versionFromIfMatch } from '../../shared/http/conditional';
import { idempotentRequest, type HttpResult } from '../../shared/http/idempotency';
import { forbidden, hasRole, requireCaller, requireRole, type Caller } from '../../shared/http/caller';
import { HttpProblem } from '../../shared/http/problem';
import { CONSISTENCY_HEADER } from '../../shared/http/read-model';
import { parseConsistencyToken } from '../../shared/projection/consistency-token';
import { sendResult } from '../../shared/http/send-result';
import { parseOr400 } from '../../shared/http/validation';
import { listedProperty, type Property } from '../domain/property';
import type { PropertyApiDeps } from './property-api-deps';
import { propertyId } from './property-id';
import { offerBuyerOnly, ownerOnly, propertyRules } from './property-access';
import {
  changePriceBody,
  listPropertyBody,
  reasonBody,
  receiveOfferBody,
  relistBody,
  updateDetailsBody,
} from './request-schemas';
import { consistencyToken, etag, moneyFromBody } from './representation';

/** Version-stamped answer to a command on a property. */
function accepted(property: Property, status = 200, extra: object = {}): HttpResult {
  return {
    status,
    body: {
      id: property.id,
      version: property.version,
      consistencyToken: consistencyToken(property.id, property.version),
      ...extra,
    },
    headers: { ETag: etag(property.version), Location: `/properties/${property.id}` },
  };
}

type Execute<S extends z.ZodType> = (
  property: Property,
  body: z.infer<S>,
  caller: Caller,
  req: Request,
) => HttpResult;

/**
 * The handler of a command on /properties/:id…: needs a caller, validates the body, honours
 * If-Match and Idempotency-Key (per caller: one user's key never replays another's answer),
 * and lets `execute` check the access rule and call the aggregate, so a refusal writes nothing.
 */
function commandOn({ runner, repository }: PropertyApiDeps) {
  return <S extends z.ZodType>(schema: S, execute: Execute<S>): RequestHandler<{ id: string }> =>
    async (req: Request<{ id: string }>, res: Response) => {
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
}

/**
 * POST /properties: a seller lists their own property, an agent one with their card. An agent
 * who just changed their profile sends its consistency token, so the listing carries the new card.
 */
export function listProperty({
  runner,
  listingAgentOf = async () => null,
  awaitAgentCard = async () => undefined,
  clock = () => new Date(),
}: PropertyApiDeps): RequestHandler {
  return async (req, res) => {
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
        listedProperty(
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
  };
}

type Command = ReturnType<typeof commandOn>;

/** The commands on an existing property, each with its access rule. */
export function propertyCommands(deps: PropertyApiDeps) {
  const command = commandOn(deps);
  return { ...listingCommands(command), ...offerCommands(command) };
}

/** What the owner does with their listing. */
function listingCommands(command: Command) {
  return {
    updateDetails: command(updateDetailsBody, (property, body, caller) => {
      ownerOnly(property, caller, 'change its details');
      property.execute({
        type: 'UpdateDetails',
        changes: {
          address: body.address ?? null,
          bedrooms: body.bedrooms ?? null,
          bathrooms: body.bathrooms ?? null,
          areaSqm: body.areaSqm ?? null,
          propertyType: body.type ?? null,
          description: body.description ?? null,
        },
      });
      return accepted(property);
    }),
    changePrice: command(changePriceBody, (property, body, caller) => {
      ownerOnly(property, caller, 'change its price');
      property.execute({ type: 'ChangePrice', price: moneyFromBody(body.price) });
      return accepted(property);
    }),
    withdraw: command(reasonBody, (property, body, caller) => {
      ownerOnly(property, caller, 'withdraw it');
      property.execute({ type: 'WithdrawListing', reason: body.reason ?? null });
      return accepted(property);
    }),
    relist: command(relistBody, (property, body, caller) => {
      ownerOnly(property, caller, 'relist it');
      property.execute({ type: 'Relist', price: body.price ? moneyFromBody(body.price) : null });
      return accepted(property);
    }),
  };
}

/** A buyer's offers, and the owner's answers to them. */
function offerCommands(command: Command) {
  const ownerDecides = (what: string) => (property: Property, _offerId: string, caller: Caller) =>
    ownerOnly(property, caller, what);
  const onOffer = (
    allowed: (property: Property, offerId: string, caller: Caller) => void,
    act: (property: Property, offerId: string, reason: string | null) => void,
  ) =>
    command(reasonBody, (property, body, caller, req) => {
      const offerId = String(req.params.offerId);
      allowed(property, offerId, caller);
      act(property, offerId, body.reason ?? null);
      return accepted(property);
    });
  return {
    receiveOffer: command(receiveOfferBody, (property, body, caller) => {
      if (!hasRole(caller, 'buyer')) throw forbidden(propertyRules.offerAsBuyer, 'only a buyer makes offers');
      if (body.buyerId !== undefined && body.buyerId !== caller.subject) {
        throw forbidden(
          propertyRules.offerBuyerIsCaller,
          'an offer is made in your own name: leave buyerId out or give your own id',
        );
      }
      const offerId = randomUUID();
      property.execute({
        type: 'ReceiveOffer',
        offerId,
        buyerId: caller.subject,
        amount: moneyFromBody(body.amount),
      });
      return accepted(property, 201, { offerId });
    }),
    acceptOffer: onOffer(ownerDecides('accept an offer'), (p, offerId) =>
      p.execute({ type: 'AcceptOffer', offerId }),
    ),
    rejectOffer: onOffer(ownerDecides('reject an offer'), (p, offerId, reason) =>
      p.execute({ type: 'RejectOffer', offerId, reason }),
    ),
    withdrawOffer: onOffer(offerBuyerOnly, (p, offerId) => p.execute({ type: 'WithdrawOffer', offerId })),
  };
}
