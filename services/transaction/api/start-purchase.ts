import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { isUniqueViolation } from '../../shared/db/postgres-errors';
import { forbidden, requireCaller, type Caller } from '../../shared/http/caller';
import { idempotentRequest, type HttpResult, type IdempotentRequest } from '../../shared/http/idempotency';
import { HttpProblem } from '../../shared/http/problem';
import { CONSISTENCY_HEADER, consistencyTokenOf } from '../../shared/http/read-model';
import { sendResult } from '../../shared/http/send-result';
import { parseOr400 } from '../../shared/http/validation';
import { parseConsistencyToken, waitForAppliedVersion } from '../../shared/projection/consistency-token';
import type { Db } from '../saga-store';
import type { KnownOffersTable } from '../transaction-tables';
import { purchaseJson } from './purchase-json';
import { startBody } from './request-schemas';
import { transactionRules } from './transaction-access';
import type { TransactionApiDeps } from './transaction-api-deps';

type StartBody = z.infer<typeof startBody>;

const problem = (status: number, title: string, rule: string, detail: string) =>
  new HttpProblem(status, title, detail, { rule });

/**
 * Waits (bounded) until the orchestrator's copy of the offer shows it decided: an offer
 * accepted a moment ago may still be on its way through the relay.
 */
async function decidedOffer(
  db: Db,
  offerId: string,
  waitMs: number,
): Promise<Selectable<KnownOffersTable> | undefined> {
  const until = Date.now() + waitMs;
  for (;;) {
    const offer = await db
      .selectFrom('known_offers')
      .selectAll()
      .where('offer_id', '=', offerId)
      .executeTakeFirst();
    if ((offer && offer.status !== 'pending') || Date.now() >= until) return offer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The orchestrator's copy of the property has caught up with the client's own write. */
async function awaitPropertyVersion(
  db: Db,
  propertyId: string,
  token: string,
  waitMs: number,
): Promise<void> {
  const wanted = parseConsistencyToken(token);
  if (wanted.aggregateId !== propertyId) {
    throw HttpProblem.validation([
      {
        field: `header.${CONSISTENCY_HEADER}`,
        message: `names property ${wanted.aggregateId}, not the purchased property ${propertyId}`,
      },
    ]);
  }
  await waitForAppliedVersion(
    token,
    async (id) =>
      (
        await db
          .selectFrom('known_properties')
          .select('version')
          .where('property_id', '=', id)
          .executeTakeFirst()
      )?.version,
    waitMs,
    async () => undefined,
    'the transaction service',
  );
}

/**
 * POST /transactions: the buyer of an accepted offer starts its purchase. A known
 * Idempotency-Key replays its first answer; a consistency token (from accepting the offer)
 * waits until this service has seen that write.
 */
export function startPurchase(deps: TransactionApiDeps): RequestHandler {
  return async (req, res) => {
    const caller = requireCaller(req);
    const body = parseOr400(startBody, req.body);
    if (body.buyerId !== undefined && body.buyerId !== caller.subject) {
      throw forbidden(
        transactionRules.buyerIsCaller,
        'a purchase is started in your own name: leave buyerId out or give your own id',
      );
    }
    const token = consistencyTokenOf(req, undefined);
    const idempotent = idempotentRequest(
      req.header('idempotency-key'),
      `${caller.subject} POST /transactions`,
      body,
    );
    const replayed = idempotent && (await deps.idempotency.replay(idempotent));
    if (replayed) {
      sendResult(res, replayed);
      return;
    }
    if (token) await awaitPropertyVersion(deps.db, body.propertyId, token, deps.offerWaitMs);
    const offer = await purchasableOffer(deps, body, caller, token);
    sendResult(res, await startSaga(deps, body, offer, caller, idempotent));
  };
}

/** The offer, if this caller may purchase it now; else the problem that says why not. */
async function purchasableOffer(
  { db, offerWaitMs }: TransactionApiDeps,
  body: StartBody,
  caller: Caller,
  token: string | undefined,
): Promise<Selectable<KnownOffersTable>> {
  const offer = await decidedOffer(db, body.offerId, token ? 0 : offerWaitMs);
  if (!offer) {
    throw problem(
      404,
      'Offer not found',
      'offer-not-found',
      token
        ? `Offer ${body.offerId} does not exist on property ${body.propertyId} as of ${token}`
        : `Offer ${body.offerId} is not known; if it was made moments ago, retry shortly (or send the accept response's consistency token as ${CONSISTENCY_HEADER})`,
    );
  }
  if (offer.property_id !== body.propertyId) {
    throw problem(
      422,
      'Offer of another property',
      'offer-property-mismatch',
      `Offer ${body.offerId} was made on property ${offer.property_id}, not ${body.propertyId}`,
    );
  }
  if (offer.buyer_id !== caller.subject) {
    throw forbidden(
      transactionRules.byOfferBuyer,
      `only the buyer who made offer ${body.offerId} may purchase it`,
    );
  }
  if (offer.status !== 'accepted') {
    throw problem(
      409,
      'Offer not accepted',
      'offer-not-accepted',
      `Offer ${body.offerId} is ${offer.status}; only an accepted offer can be purchased`,
    );
  }
  return offer;
}

/**
 * Starts the saga and records the answer with the Idempotency-Key in the same transaction. A
 * lost race is the same key (the winner's answer is replayed) or another live purchase of the
 * offer (409).
 */
async function startSaga(
  { db, orchestrator, idempotency }: TransactionApiDeps,
  body: StartBody,
  offer: Selectable<KnownOffersTable>,
  caller: Caller,
  idempotent: IdempotentRequest | undefined,
): Promise<HttpResult> {
  const transactionId = randomUUID();
  const terms = {
    transactionId,
    propertyId: body.propertyId,
    offerId: body.offerId,
    buyerId: caller.subject,
    price: { amountMinor: Number(offer.amount_minor), currency: offer.currency },
  };
  try {
    return await orchestrator.start(terms, async (trx) => {
      const row = await trx
        .selectFrom('sagas')
        .selectAll()
        .where('transaction_id', '=', transactionId)
        .executeTakeFirstOrThrow();
      const started: HttpResult = {
        status: 202,
        body: purchaseJson(row),
        headers: { Location: `/transactions/${transactionId}` },
      };
      if (idempotent) await idempotency.record(trx, idempotent, started);
      return started;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = idempotent && (await idempotency.replay(idempotent));
    if (winner) return winner;
    const live = await db
      .selectFrom('sagas')
      .select(['transaction_id', 'status'])
      .where('offer_id', '=', body.offerId)
      .where('status', '<>', 'COMPENSATED')
      .executeTakeFirst();
    throw problem(
      409,
      'Purchase already started',
      'one-live-purchase-per-offer',
      `Offer ${body.offerId} already has purchase ${live?.transaction_id ?? '(just started)'} (${live?.status ?? 'RUNNING'}); follow it at /transactions/${live?.transaction_id ?? ''}`,
    );
  }
}
