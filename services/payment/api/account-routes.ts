import type { account } from './payment-openapi';
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { maxAmountMinor, moneyFromMinor, toMajor } from '../../shared/domain/money';
import { forbidden, hasRole, requireCaller, requireRole, type Caller } from '../../shared/http/caller';
import { IdempotencyStore, idempotentRequest, type HttpResult } from '../../shared/http/idempotency';
import { moneyFromBody, moneyJson } from '../../shared/http/money-json';
import { recordOperatorAction } from '../../shared/db/operator-actions';
import { HttpProblem } from '../../shared/http/problem';
import { sendResult } from '../../shared/http/send-result';
import { parseOr400 } from '../../shared/http/validation';
import type { PaymentTables } from '../payment-tables';

import { buyerIdParam, depositBody, openAccountBody } from './request-schemas';

/** Access rules of the payment service, by name (each refusal is a 403 naming one). */
export const paymentRules = {
  ownAccountOnly: 'own-account-only',
  openingBalanceOpsOnly: 'opening-balance-ops-only',
  accountHolderIsBuyer: 'account-holder-is-buyer',
  depositsOpsOnly: 'deposits-ops-only',
  balanceWithinMaximum: 'balance-within-maximum',
} as const;

async function accountJson(
  db: Kysely<PaymentTables>,
  buyerId: string,
): Promise<z.output<typeof account> | undefined> {
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

/** A buyer reads their own account; an operator reads any. */
function mayRead(caller: Caller, buyerId: string): void {
  if (caller.subject !== buyerId && !hasRole(caller, 'ops')) {
    throw forbidden(paymentRules.ownAccountOnly, 'an account is visible to its buyer and to operators only');
  }
}

/**
 * Buyers' accounts. Money is not free: a buyer opens their own account empty and reads
 * it; only `ops` opens one with a balance, reads anyone's, and deposits (the local stand-in
 * for a payment provider crediting a transfer).
 */
export function accountRoutes(db: Kysely<PaymentTables>): Router {
  const router = Router();
  const idempotency = IdempotencyStore.of(db);

  router.post('/accounts', async (req: Request, res) => {
    const caller = requireCaller(req);
    const body = parseOr400(openAccountBody, req.body);
    const operator = hasRole(caller, 'ops');
    const buyerId = body.buyerId ?? caller.subject;
    if (!operator) {
      if (!hasRole(caller, 'buyer'))
        throw forbidden(
          paymentRules.accountHolderIsBuyer,
          'only a buyer opens an account (or an operator for one)',
        );
      if (buyerId !== caller.subject)
        throw forbidden(
          paymentRules.ownAccountOnly,
          'a buyer opens their own account only; leave buyerId out',
        );
      if (body.balance)
        throw forbidden(
          paymentRules.openingBalanceOpsOnly,
          'an account opens empty; money comes in through a deposit (POST /accounts/:buyerId/deposits, ops)',
        );
    }
    const balance = body.balance
      ? moneyFromBody(body.balance)
      : { amountMinor: 0, currency: body.currency ?? 'EUR' };
    await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('accounts')
        .values({
          buyer_id: buyerId,
          currency: balance.currency,
          balance_minor: balance.amountMinor,
          opened_by: caller.subject,
        })
        .onConflict((oc) => oc.column('buyer_id').doNothing())
        .returning('buyer_id')
        .executeTakeFirst();
      if (!inserted) {
        throw new HttpProblem(409, 'Account exists', `Buyer ${buyerId} has an account already`, {
          rule: 'account-exists',
        });
      }
      await recordOperatorAction<PaymentTables>(trx, req.commandContext, {
        action: 'account-opened',
        subject: buyerId,
        detail: { balance: moneyJson(balance) },
      });
    });
    res
      .status(201)
      .location(`/accounts/${encodeURIComponent(buyerId)}`)
      .json(await accountJson(db, buyerId));
  });

  router.get('/accounts/:buyerId', async (req, res) => {
    const buyerId = parseOr400(buyerIdParam, req.params.buyerId, 'buyerId');
    mayRead(requireCaller(req), buyerId);
    const account = await accountJson(db, buyerId);
    if (!account) throw HttpProblem.notFound(`Account of buyer ${buyerId}`);
    res.json(account);
  });

  router.post('/accounts/:buyerId/deposits', async (req, res) => {
    const caller = requireRole(req, paymentRules.depositsOpsOnly, 'ops');
    const buyerId = parseOr400(buyerIdParam, req.params.buyerId, 'buyerId');
    const body = parseOr400(depositBody, req.body);
    const amount = moneyFromBody(body.amount);
    const key = idempotentRequest(
      req.header('idempotency-key'),
      `${caller.subject} POST /accounts/${buyerId}/deposits`,
      body,
    );
    const replayed = key && (await idempotency.replay(key));
    if (replayed) {
      sendResult(res, replayed);
      return;
    }
    const depositId = randomUUID();
    const result = await db.transaction().execute(async (trx): Promise<HttpResult> => {
      const account = await trx
        .selectFrom('accounts')
        .select(['currency', 'balance_minor'])
        .where('buyer_id', '=', buyerId)
        .forUpdate()
        .executeTakeFirst();
      if (!account) throw HttpProblem.notFound(`Account of buyer ${buyerId}`);
      // A balance beyond the largest amount could no longer be read back as money.
      if (account.balance_minor + BigInt(amount.amountMinor) > BigInt(maxAmountMinor)) {
        throw new HttpProblem(
          409,
          'Business rule violated',
          `the balance would exceed ${toMajor(moneyFromMinor(maxAmountMinor, account.currency))} ${account.currency}, the largest amount an account holds`,
          { rule: paymentRules.balanceWithinMaximum },
        );
      }
      if (account.currency !== amount.currency) {
        throw new HttpProblem(
          409,
          'Business rule violated',
          `the account is in ${account.currency}, not ${amount.currency}`,
          {
            rule: 'deposit-in-account-currency',
          },
        );
      }
      await trx
        .updateTable('accounts')
        .set((eb) => ({
          balance_minor: eb('balance_minor', '+', BigInt(amount.amountMinor)),
          updated_at: new Date(),
        }))
        .where('buyer_id', '=', buyerId)
        .execute();
      await trx
        .insertInto('deposits')
        .values({
          deposit_id: depositId,
          buyer_id: buyerId,
          amount_minor: amount.amountMinor,
          currency: amount.currency,
          deposited_by: caller.subject,
        })
        .execute();
      const deposited: HttpResult = {
        status: 201,
        body: { depositId, buyerId, amount: moneyJson(amount) },
        headers: { Location: `/accounts/${encodeURIComponent(buyerId)}` },
      };
      if (key) await idempotency.record<PaymentTables>(trx, key, deposited);
      return deposited;
    });
    sendResult(res, result);
  });

  return router;
}
