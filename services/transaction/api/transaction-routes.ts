import { Router } from 'express';
import { forbidden, requireCaller } from '../../shared/http/caller';
import { identifier } from '../../shared/http/identifier';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import { purchaseJson } from './purchase-json';
import { purchasesQuery } from './request-schemas';
import { startPurchase } from './start-purchase';
import { mayFollow, transactionRules } from './transaction-access';
import type { TransactionApiDeps } from './transaction-api-deps';

/** Start a purchase of an accepted offer; follow it step by step. */
export function transactionRoutes(deps: TransactionApiDeps): Router {
  const { db } = deps;
  const router = Router();

  router.post('/transactions', startPurchase(deps));

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
      ...purchaseJson(row),
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
    res.json({ transactions: visible.map(purchaseJson) });
  });

  return router;
}
