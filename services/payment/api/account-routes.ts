import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { moneyFromMinor } from '../../shared/domain/money';
import { moneyBody, moneyFromBody, moneyJson } from '../../shared/http/money-json';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import { identifier } from '../../shared/http/identifier';
import type { PaymentTables } from '../payment-tables';

const buyerIdParam = identifier;
const openAccountBody = z.strictObject({ buyerId: buyerIdParam, balance: moneyBody });

async function accountJson(db: Kysely<PaymentTables>, buyerId: string) {
  const account = await db
    .selectFrom('accounts')
    .selectAll()
    .where('buyer_id', '=', buyerId)
    .executeTakeFirst();
  if (!account) return undefined;
  const reservations = await db
    .selectFrom('fund_reservations')
    .selectAll()
    .where('buyer_id', '=', buyerId)
    .where('amount_minor', '>', 0n)
    .orderBy('updated_at', 'desc')
    .limit(100)
    .execute();
  const money = (minor: bigint) => moneyJson(moneyFromMinor(Number(minor), account.currency));
  return {
    buyerId,
    balance: money(account.balance_minor),
    reserved: money(account.reserved_minor),
    available: money(account.balance_minor - account.reserved_minor),
    reservations: reservations.map((r) => ({
      transactionId: r.transaction_id,
      amount: money(r.amount_minor),
      status: r.status,
      updatedAt: r.updated_at.toISOString(),
    })),
  };
}

/** Buyers' accounts: open one with a balance, look at what is available and reserved. */
export function accountRoutes(db: Kysely<PaymentTables>): Router {
  const router = Router();

  router.post('/accounts', async (req, res) => {
    const body = parseOr400(openAccountBody, req.body);
    const balance = moneyFromBody(body.balance);
    const inserted = await db
      .insertInto('accounts')
      .values({ buyer_id: body.buyerId, currency: balance.currency, balance_minor: balance.amountMinor })
      .onConflict((oc) => oc.column('buyer_id').doNothing())
      .returning('buyer_id')
      .executeTakeFirst();
    if (!inserted) {
      throw new HttpProblem(409, 'Account exists', `Buyer ${body.buyerId} has an account already`, {
        rule: 'account-exists',
      });
    }
    res
      .status(201)
      .location(`/accounts/${encodeURIComponent(body.buyerId)}`)
      .json(await accountJson(db, body.buyerId));
  });

  router.get('/accounts/:buyerId', async (req, res) => {
    const buyerId = parseOr400(buyerIdParam, req.params.buyerId, 'buyerId');
    const account = await accountJson(db, buyerId);
    if (!account) throw HttpProblem.notFound(`Account of buyer ${buyerId}`);
    res.json(account);
  });

  return router;
}
