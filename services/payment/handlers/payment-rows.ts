import { DomainError } from '../../shared/errors/domain-error';
import type { Account, FundsReservation } from '../domain/account';
import type { PaymentTables } from '../payment-tables';
import type { Kysely } from 'kysely';

/** A transaction over the payment tables, in which the handlers lock and write rows. */
export type Trx = Kysely<PaymentTables>;

/** Locks the buyer's account until the transaction ends; a buyer without one is refused. */
export async function lockAccount(trx: Trx, buyerId: string): Promise<Account> {
  const row = await trx
    .selectFrom('accounts')
    .selectAll()
    .where('buyer_id', '=', buyerId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new DomainError('account-not-found', `No account for buyer ${buyerId}`);
  return {
    buyerId: row.buyer_id,
    currency: row.currency,
    balanceMinor: Number(row.balance_minor),
    reservedMinor: Number(row.reserved_minor),
  };
}

export async function saveAccount(trx: Trx, account: Account): Promise<void> {
  await trx
    .updateTable('accounts')
    .set({
      balance_minor: account.balanceMinor,
      reserved_minor: account.reservedMinor,
      updated_at: new Date(),
    })
    .where('buyer_id', '=', account.buyerId)
    .execute();
}

/** Locks the reservation of a purchase until the transaction ends, if there is one. */
export async function reservationOf(trx: Trx, transactionId: string): Promise<FundsReservation | undefined> {
  const row = await trx
    .selectFrom('fund_reservations')
    .selectAll()
    .where('transaction_id', '=', transactionId)
    .forUpdate()
    .executeTakeFirst();
  return row
    ? {
        transactionId: row.transaction_id,
        buyerId: row.buyer_id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
        status: row.status,
      }
    : undefined;
}

export async function setStatus(
  trx: Trx,
  transactionId: string,
  status: FundsReservation['status'],
): Promise<void> {
  await trx
    .updateTable('fund_reservations')
    .set({ status, updated_at: new Date() })
    .where('transaction_id', '=', transactionId)
    .execute();
}

/** Records a purchase's reservation; its transaction id is its key, so it is recorded once. */
export async function insertReservation(trx: Trx, reservation: FundsReservation): Promise<void> {
  await trx
    .insertInto('fund_reservations')
    .values({
      transaction_id: reservation.transactionId,
      buyer_id: reservation.buyerId,
      amount_minor: reservation.amountMinor,
      currency: reservation.currency,
      status: reservation.status,
    })
    .execute();
}
