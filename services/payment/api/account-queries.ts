import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { requireCaller } from '../../shared/http/caller';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { PaymentTables } from '../payment-tables';
import { mayRead } from './account-access';
import { accountJson } from './account-representation';
import { buyerIdParam } from './request-schemas';

/** GET /accounts/:buyerId: the balance, what is reserved of it, and the reservations. */
export function readAccount(db: Kysely<PaymentTables>): RequestHandler<{ buyerId: string }> {
  return async (req, res) => {
    const buyerId = parseOr400(buyerIdParam, req.params.buyerId, 'buyerId');
    mayRead(requireCaller(req), buyerId);
    const account = await accountJson(db, buyerId);
    if (!account) throw HttpProblem.notFound(`Account of buyer ${buyerId}`);
    res.json(account);
  };
}
