import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { CommandContext } from '../../shared/domain/command-context';
import type { Money } from '../../shared/domain/money';
import { recordOperatorAction } from '../../shared/db/operator-actions';
import { requireCaller } from '../../shared/http/caller';
import { moneyFromBody, moneyJson } from '../../shared/http/money-json';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { PaymentTables } from '../payment-tables';
import { mayOpen } from './account-access';
import { accountJson } from './account-representation';
import { openAccountBody } from './request-schemas';

/** POST /accounts: a buyer opens their own account, empty; an operator anyone's, with a balance. */
export function openAccount(db: Kysely<PaymentTables>): RequestHandler {
  return async (req, res) => {
    const caller = requireCaller(req);
    const body = parseOr400(openAccountBody, req.body);
    const buyerId = body.buyerId ?? caller.subject;
    mayOpen(caller, buyerId, body);
    const balance = body.balance
      ? moneyFromBody(body.balance)
      : { amountMinor: 0, currency: body.currency ?? 'EUR' };
    await db
      .transaction()
      .execute((trx) =>
        insertAccount(trx, req.commandContext, { buyerId, balance, openedBy: caller.subject }),
      );
    res
      .status(201)
      .location(`/accounts/${encodeURIComponent(buyerId)}`)
      .json(await accountJson(db, buyerId));
  };
}

/** The account a request opens: whose, with what in it, and who opened it. */
interface AccountOpening {
  buyerId: string;
  balance: Money;
  openedBy: string;
}

/** Adds the account and records who opened it with what, in the caller's transaction; a second one is a 409. */
async function insertAccount(
  trx: Kysely<PaymentTables>,
  context: CommandContext,
  { buyerId, balance, openedBy }: AccountOpening,
): Promise<void> {
  const inserted = await trx
    .insertInto('accounts')
    .values({
      buyer_id: buyerId,
      currency: balance.currency,
      balance_minor: balance.amountMinor,
      opened_by: openedBy,
    })
    .onConflict((oc) => oc.column('buyer_id').doNothing())
    .returning('buyer_id')
    .executeTakeFirst();
  if (!inserted) {
    throw new HttpProblem(409, 'Account exists', `Buyer ${buyerId} has an account already`, {
      rule: 'account-exists',
    });
  }
  await recordOperatorAction<PaymentTables>(trx, context, {
    action: 'account-opened',
    subject: buyerId,
    detail: { balance: moneyJson(balance) },
  });
}
