import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { ContractTables } from '../contract-tables';
import { liftComplianceHold, placeComplianceHold } from './compliance-holds';
import { listContracts, readContract } from './contract-reads';

/**
 * Sale contracts by purchase or property, and the compliance desk's holds on parties. A
 * buyer sees their own contracts; the compliance desk (and operators) see all of them and
 * alone place or lift holds.
 */
export function contractRoutes(db: Kysely<ContractTables>): Router {
  return Router()
    .get('/contracts/:transactionId', readContract(db))
    .get('/contracts', listContracts(db))
    .put('/compliance-holds/:partyId', placeComplianceHold(db))
    .delete('/compliance-holds/:partyId', liftComplianceHold(db));
}
