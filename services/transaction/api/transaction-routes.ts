import type { purchase } from './transaction-openapi';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { isUniqueViolation } from '../../shared/db/postgres-errors';
import { moneyFromMinor } from '../../shared/domain/money';
import { identifier } from '../../shared/http/identifier';
import { idempotentRequest, type HttpResult, type IdempotencyStore } from '../../shared/http/idempotency';
import { moneyJson } from '../../shared/http/money-json';
import { forbidden, hasRole, requireCaller, type Caller } from '../../shared/http/caller';
import { HttpProblem } from '../../shared/http/problem';
import { CONSISTENCY_HEADER, consistencyTokenOf } from '../../shared/http/read-model';
import { sendResult } from '../../shared/http/send-result';
import { parseOr400 } from '../../shared/http/validation';
import { parseConsistencyToken, waitForAppliedVersion } from '../../shared/projection/consistency-token';
import type { PurchaseOrchestrator } from '../purchase-orchestrator';
import type { Db } from '../saga-store';
import type { KnownOffersTable, SagasTable } from '../transaction-tables';

/** The buyer is the caller; a buyerId, if given, must name the caller. */
export const startBody = z.strictObject({
  propertyId: identifier,
  offerId: identifier,
  buyerId: identifier.optional(),
});

/** GET /transactions?propertyId=… */
export const purchasesQuery = z.strictObject({ propertyId: identifier });

/** The transaction service's access rules, by name: each refusal is a 403 naming one. */
export const transactionRules = {
  buyerIsCaller: 'purchase-buyer-is-caller',
  byOfferBuyer: 'purchase-by-offer-buyer',
  partiesOnly: 'purchase-parties-only',
} as const;

/** A purchase is followed by its buyer, the listing's owner and operators. */
async function mayFollow(
  db: Db,
  caller: Caller,
  purchase: { buyer_id: string; property_id: string },
): Promise<boolean> {
  if (caller.subject === purchase.buyer_id || hasRole(caller, 'ops')) return true;
  const property = await db
    .selectFrom('known_properties')
    .select('owner_id')
    .where('property_id', '=', purchase.property_id)
    .executeTakeFirst();
  return property?.owner_id === caller.subject;
}

function sagaJson(row: Selectable<SagasTable>): z.output<typeof purchase> {
  return {
    transactionId: row.transaction_id,
    correlationId: row.transaction_id,
    propertyId: row.property_id,
    offerId: row.offer_id,
    buyerId: row.buyer_id,
    price: moneyJson(moneyFromMinor(Number(row.price_minor), row.currency)),
    status: row.status,
    currentStep: row.step,
    phase: row.phase,
    deadlineAt: row.deadline_at?.toISOString() ?? null,
    completedSteps: row.completed_steps,
    pendingCompensations: row.pending_compensations,
    cause: row.cause,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

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

export interface TransactionRoutesDeps {
  db: Db;
  orchestrator: PurchaseOrchestrator;
  idempotency: IdempotencyStore;
  /** Longest wait for a just-accepted offer, or for a consistency token's version. */
  offerWaitMs: number;
}

/** Start a purchase of an accepted offer; follow it step by step. */
export function transactionRoutes({
  db,
  orchestrator,
  idempotency,
  offerWaitMs,
}: TransactionRoutesDeps): Router {
  const router = Router();

  router.post('/transactions', async (req, res) => {
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
    const replayed = idempotent && (await idempotency.replay(idempotent));
    if (replayed) {
      sendResult(res, replayed);
      return;
    }
    if (token) await awaitPropertyVersion(db, body.propertyId, token, offerWaitMs);
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
    const transactionId = randomUUID();
    const terms = {
      transactionId,
      propertyId: body.propertyId,
      offerId: body.offerId,
      buyerId: caller.subject,
      price: { amountMinor: Number(offer.amount_minor), currency: offer.currency },
    };
    try {
      const result = await orchestrator.start(terms, async (trx) => {
        const row = await trx
          .selectFrom('sagas')
          .selectAll()
          .where('transaction_id', '=', transactionId)
          .executeTakeFirstOrThrow();
        const started: HttpResult = {
          status: 202,
          body: sagaJson(row),
          headers: { Location: `/transactions/${transactionId}` },
        };
        if (idempotent) await idempotency.record(trx, idempotent, started);
        return started;
      });
      sendResult(res, result);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Lost a race: the same Idempotency-Key (replay the winner), or another live purchase of the offer.
      const winner = idempotent && (await idempotency.replay(idempotent));
      if (winner) {
        sendResult(res, winner);
        return;
      }
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
  });

  router.get('/transactions/:id', async (req, res) => {
    const id = parseOr400(identifier, req.params.id, 'id');
    const caller = requireCaller(req);
    const row = await db.selectFrom('sagas').selectAll().where('transaction_id', '=', id).executeTakeFirst();
    if (!row) throw HttpProblem.notFound(`Transaction ${id}`);
    if (!(await mayFollow(db, caller, row))) {
      throw forbidden(
        transactionRules.partiesOnly,
        "a purchase is visible to its buyer, the listing's owner and operators",
      );
    }
    const history = await db
      .selectFrom('saga_history')
      .selectAll()
      .where('transaction_id', '=', id)
      .orderBy('id')
      .execute();
    res.json({
      ...sagaJson(row),
      history: history.map((h) => ({
        step: h.step,
        phase: h.phase,
        command: h.command,
        messageId: h.message_id,
        outcome: h.outcome,
        detail: h.detail,
        at: h.at.toISOString(),
      })),
    });
  });

  router.get('/transactions', async (req, res) => {
    const caller = requireCaller(req);
    const { propertyId } = parseOr400(purchasesQuery, req.query, 'query');
    const rows = await db
      .selectFrom('sagas')
      .selectAll()
      .where('property_id', '=', propertyId)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
    // The owner and operators see every purchase of the property; a buyer sees their own.
    const everyone = await mayFollow(db, caller, { buyer_id: '', property_id: propertyId });
    const visible = everyone ? rows : rows.filter((row) => row.buyer_id === caller.subject);
    res.json({ transactions: visible.map(sagaJson) });
  });

  return router;
}
