import type { z } from 'zod';
import { forbidden, hasRole, type Caller } from '../../shared/http/caller';
import type { openAccountBody } from './request-schemas';

/** Access rules of the payment service, by name (each refusal is a 403 naming one). */
export const paymentRules = {
  ownAccountOnly: 'own-account-only',
  openingBalanceOpsOnly: 'opening-balance-ops-only',
  accountHolderIsBuyer: 'account-holder-is-buyer',
  depositsOpsOnly: 'deposits-ops-only',
  balanceWithinMaximum: 'balance-within-maximum',
} as const;

/**
 * A buyer opens their own account, empty; an operator opens anyone's, with a balance or
 * without. Money is not free: it comes in through a deposit.
 */
export function mayOpen(caller: Caller, buyerId: string, body: z.output<typeof openAccountBody>): void {
  if (hasRole(caller, 'ops')) return;
  if (!hasRole(caller, 'buyer'))
    throw forbidden(
      paymentRules.accountHolderIsBuyer,
      'only a buyer opens an account (or an operator for one)',
    );
  if (buyerId !== caller.subject)
    throw forbidden(paymentRules.ownAccountOnly, 'a buyer opens their own account only; leave buyerId out');
  if (body.balance)
    throw forbidden(
      paymentRules.openingBalanceOpsOnly,
      'an account opens empty; money comes in through a deposit (POST /accounts/:buyerId/deposits, ops)',
    );
}

/** A buyer reads their own account; an operator reads any. */
export function mayRead(caller: Caller, buyerId: string): void {
  if (caller.subject !== buyerId && !hasRole(caller, 'ops')) {
    throw forbidden(paymentRules.ownAccountOnly, 'an account is visible to its buyer and to operators only');
  }
}
