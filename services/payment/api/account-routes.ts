import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { PaymentTables } from '../payment-tables';
import { openAccount } from './account-opening';
import { readAccount } from './account-queries';
import { depositIntoAccount } from './deposits';

/**
 * Buyers' accounts. Money is not free: a buyer opens their own account empty and reads
 * it; only `ops` opens one with a balance, reads anyone's, and deposits (the local stand-in
 * for a payment provider crediting a transfer).
 */
export function accountRoutes(db: Kysely<PaymentTables>): Router {
  return Router()
    .post('/accounts', openAccount(db))
    .get('/accounts/:buyerId', readAccount(db))
    .post('/accounts/:buyerId/deposits', depositIntoAccount(db));
}
