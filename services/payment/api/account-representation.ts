import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { moneyFromMinor } from '../../shared/domain/money';
import { moneyJson } from '../../shared/http/money-json';
import type { PaymentTables } from '../payment-tables';
import type { account } from './payment-openapi';

/** A buyer's account as the API shows it, with its open reservations; undefined if there is none. */
export async function accountJson(
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
