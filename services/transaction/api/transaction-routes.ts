import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { moneyFromMinor } from '../../shared/domain/money';
import { identifier } from '../../shared/http/identifier';
import { moneyJson } from '../../shared/http/money-json';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { PurchaseOrchestrator } from '../purchase-orchestrator';
import type { Db } from '../saga-store';
import type { KnownOffersTable, SagasTable } from '../transaction-tables';

const startBody = z.strictObject({ propertyId: identifier, offerId: identifier, buyerId: identifier });

function sagaJson(row: Selectable<SagasTable>) {
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
 * Waits (bounded) until the orchestrator's copy of the offer shows it accepted: an offer
 * accepted a moment ago may still be on its way through the relay.
 */
async function acceptedOffer(
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

/** Start a purchase of an accepted offer; follow it step by step. */
export function transactionRoutes(db: Db, orchestrator: PurchaseOrchestrator, offerWaitMs: number): Router {
  const router = Router();

  router.post('/transactions', async (req, res) => {
    const body = parseOr400(startBody, req.body);
    const offer = await acceptedOffer(db, body.offerId, offerWaitMs);
    if (!offer) {
      throw problem(
        404,
        'Offer not found',
        'offer-not-found',
        `Offer ${body.offerId} is not known; if it was made moments ago, retry shortly`,
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
    if (offer.buyer_id !== body.buyerId) {
      throw problem(
        422,
        'Offer of another buyer',
        'buyer-mismatch',
        `Offer ${body.offerId} was made by another buyer than ${body.buyerId}`,
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
    await orchestrator.start({
      transactionId,
      propertyId: body.propertyId,
      offerId: body.offerId,
      buyerId: body.buyerId,
      price: { amountMinor: Number(offer.amount_minor), currency: offer.currency },
    });
    const row = await db
      .selectFrom('sagas')
      .selectAll()
      .where('transaction_id', '=', transactionId)
      .executeTakeFirstOrThrow();
    res.status(202).location(`/transactions/${transactionId}`).json(sagaJson(row));
  });

  router.get('/transactions/:id', async (req, res) => {
    const id = parseOr400(identifier, req.params.id, 'id');
    const row = await db.selectFrom('sagas').selectAll().where('transaction_id', '=', id).executeTakeFirst();
    if (!row) throw HttpProblem.notFound(`Transaction ${id}`);
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
    const { propertyId } = parseOr400(z.strictObject({ propertyId: identifier }), req.query, 'query');
    const rows = await db
      .selectFrom('sagas')
      .selectAll()
      .where('property_id', '=', propertyId)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
    res.json({ transactions: rows.map(sagaJson) });
  });

  return router;
}
