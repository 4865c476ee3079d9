import type { contract } from './contract-openapi';
import { Router } from 'express';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { moneyFromMinor } from '../../shared/domain/money';
import { forbidden, hasRole, requireCaller, requireRole } from '../../shared/http/caller';
import { identifier, reasonBody } from '../../shared/http/identifier';
import { moneyJson } from '../../shared/http/money-json';
import { recordOperatorAction } from '../../shared/db/operator-actions';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { ContractsTable, ContractTables } from '../contract-tables';

function contractJson(row: Selectable<ContractsTable>): z.output<typeof contract> {
  return {
    transactionId: row.transaction_id,
    propertyId: row.property_id,
    buyerId: row.buyer_id,
    price:
      row.price_minor !== null && row.currency !== null
        ? moneyJson(moneyFromMinor(Number(row.price_minor), row.currency))
        : null,
    status: row.status,
    signedAt: row.signed_at?.toISOString() ?? null,
    voidedAt: row.voided_at?.toISOString() ?? null,
    voidReason: row.void_reason,
  };
}

import { contractsQuery } from './request-schemas';

/** Access rules of the contract service, by name (each refusal is a 403 naming one). */
export const contractRules = {
  partyOrCompliance: 'contract-party-or-compliance',
  listingComplianceOnly: 'contracts-compliance-only',
  holdsComplianceOnly: 'compliance-holds-compliance-only',
} as const;

/**
 * Sale contracts by purchase or property, and the compliance desk's holds on parties. A
 * buyer sees their own contracts; the compliance desk (and operators) see all of them and
 * alone place or lift holds.
 */
export function contractRoutes(db: Kysely<ContractTables>): Router {
  const router = Router();

  router.get('/contracts/:transactionId', async (req, res) => {
    const caller = requireCaller(req);
    const transactionId = parseOr400(identifier, req.params.transactionId, 'transactionId');
    const row = await db
      .selectFrom('contracts')
      .selectAll()
      .where('transaction_id', '=', transactionId)
      .executeTakeFirst();
    if (!row) throw HttpProblem.notFound(`Contract of transaction ${transactionId}`);
    if (row.buyer_id !== caller.subject && !hasRole(caller, 'compliance', 'ops')) {
      throw forbidden(
        contractRules.partyOrCompliance,
        'a contract is visible to its buyer, the compliance desk and operators',
      );
    }
    res.json(contractJson(row));
  });

  router.get('/contracts', async (req, res) => {
    requireRole(req, contractRules.listingComplianceOnly, 'compliance', 'ops');
    const { propertyId } = parseOr400(contractsQuery, req.query, 'query');
    const rows = await db
      .selectFrom('contracts')
      .selectAll()
      .where('property_id', '=', propertyId)
      .orderBy('signed_at', 'desc')
      .limit(100)
      .execute();
    res.json({ contracts: rows.map(contractJson) });
  });

  router.put('/compliance-holds/:partyId', async (req, res) => {
    requireRole(req, contractRules.holdsComplianceOnly, 'compliance');
    const partyId = parseOr400(identifier, req.params.partyId, 'partyId');
    const { reason } = parseOr400(reasonBody, req.body);
    const placedBy = req.commandContext.actor;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('compliance_holds')
        .values({ party_id: partyId, reason, placed_by: placedBy })
        .onConflict((oc) => oc.column('party_id').doUpdateSet({ reason, placed_by: placedBy }))
        .execute();
      await recordOperatorAction<ContractTables>(trx, req.commandContext, {
        action: 'compliance-hold-placed',
        subject: partyId,
        detail: { reason },
      });
    });
    res.status(200).json({ partyId, reason });
  });

  router.delete('/compliance-holds/:partyId', async (req, res) => {
    requireRole(req, contractRules.holdsComplianceOnly, 'compliance');
    const partyId = parseOr400(identifier, req.params.partyId, 'partyId');
    await db.transaction().execute(async (trx) => {
      const lifted = await trx
        .deleteFrom('compliance_holds')
        .where('party_id', '=', partyId)
        .returning(['reason'])
        .executeTakeFirst();
      if (!lifted) throw HttpProblem.notFound(`Compliance hold on ${partyId}`);
      await recordOperatorAction<ContractTables>(trx, req.commandContext, {
        action: 'compliance-hold-lifted',
        subject: partyId,
        detail: { reason: lifted.reason },
      });
    });
    res.status(204).end();
  });

  return router;
}
