import type { RequestHandler } from 'express';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { moneyFromMinor } from '../../shared/domain/money';
import { forbidden, hasRole, requireCaller, requireRole } from '../../shared/http/caller';
import { identifier } from '../../shared/http/identifier';
import { moneyJson } from '../../shared/http/money-json';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { ContractsTable, ContractTables } from '../contract-tables';
import { contractRules } from './contract-access';
import type { contract } from './contract-openapi';
import { contractsQuery } from './request-schemas';

/** GET /contracts/:transactionId: a purchase's contract, for its buyer, the compliance desk and operators. */
export function readContract(db: Kysely<ContractTables>): RequestHandler<{ transactionId: string }> {
  return async (req, res) => {
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
  };
}

/** GET /contracts?propertyId=… (compliance, ops): a property's latest 100 contracts, newest first. */
export function listContracts(db: Kysely<ContractTables>): RequestHandler {
  return async (req, res) => {
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
  };
}

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
