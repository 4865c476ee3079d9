import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { maxAmountMinor, moneyFromMinor, toMajor, type Money } from '../../shared/domain/money';
import { requireRole } from '../../shared/http/caller';
import { IdempotencyStore, idempotentRequest, type HttpResult } from '../../shared/http/idempotency';
import { moneyFromBody, moneyJson } from '../../shared/http/money-json';
import { HttpProblem } from '../../shared/http/problem';
import { sendResult } from '../../shared/http/send-result';
import { parseOr400 } from '../../shared/http/validation';
import type { PaymentTables } from '../payment-tables';
import { paymentRules } from './account-access';
import { buyerIdParam, depositBody } from './request-schemas';

/** One deposit into a buyer's account, as recorded. */
interface Deposit {
  depositId: string;
  buyerId: string;
  amount: Money;
  depositedBy: string;
}

/**
 * POST /accounts/:buyerId/deposits (ops): the local stand-in for a payment provider
 * crediting a transfer. Honours Idempotency-Key, recorded with the deposit itself.
 */
export function depositIntoAccount(db: Kysely<PaymentTables>): RequestHandler<{ buyerId: string }> {
  const idempotency = IdempotencyStore.of(db);
  return async (req, res) => {
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
    const deposit: Deposit = { depositId: randomUUID(), buyerId, amount, depositedBy: caller.subject };
    const result = await db.transaction().execute(async (trx): Promise<HttpResult> => {
      await creditAccount(trx, deposit);
      const deposited: HttpResult = {
        status: 201,
        body: { depositId: deposit.depositId, buyerId, amount: moneyJson(amount) },
        headers: { Location: `/accounts/${encodeURIComponent(buyerId)}` },
      };
      if (key) await idempotency.record<PaymentTables>(trx, key, deposited);
      return deposited;
    });
    sendResult(res, result);
  };
}

/** Adds the deposit to the account's balance (the row locked) and records it. */
async function creditAccount(trx: Kysely<PaymentTables>, deposit: Deposit): Promise<void> {
  const { buyerId, amount } = deposit;
  const account = await trx
    .selectFrom('accounts')
    .select(['currency', 'balance_minor'])
    .where('buyer_id', '=', buyerId)
    .forUpdate()
    .executeTakeFirst();
  if (!account) throw HttpProblem.notFound(`Account of buyer ${buyerId}`);
  refuseUncreditable(account, amount);
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
      deposit_id: deposit.depositId,
      buyer_id: buyerId,
      amount_minor: amount.amountMinor,
      currency: amount.currency,
      deposited_by: deposit.depositedBy,
    })
    .execute();
}

/** A 409 for a deposit the account cannot take: one past the largest balance, or in another currency. */
function refuseUncreditable(account: { currency: string; balance_minor: bigint }, amount: Money): void {
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
}
