import type { Kysely } from 'kysely';
import { DomainError } from '../../shared/errors/domain-error';
import { commandHandlers, type CommandHandler } from '../../shared/messaging/command-processor';
import { capture, release, reserve, type Account, type FundsReservation } from '../domain/account';
import type { PaymentCommands } from '../published/payment-messages';
import type { PaymentTables } from '../payment-tables';

type Trx = Kysely<PaymentTables>;

async function lockAccount(trx: Trx, buyerId: string): Promise<Account> {
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

async function saveAccount(trx: Trx, account: Account): Promise<void> {
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

async function reservationOf(trx: Trx, transactionId: string): Promise<FundsReservation | undefined> {
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

async function setStatus(trx: Trx, transactionId: string, status: FundsReservation['status']): Promise<void> {
  await trx
    .updateTable('fund_reservations')
    .set({ status, updated_at: new Date() })
    .where('transaction_id', '=', transactionId)
    .execute();
}

/**
 * The payment service's command handlers. Each runs in one transaction that locks the
 * account and the reservation row, applies the change, and acknowledges (inbox + reply).
 * A transaction id is reserved at most once: a release that arrives before its reserve
 * (the orchestrator gave up waiting) leaves a RELEASED row, so the late reserve is refused.
 */
export function paymentCommandHandlers(db: Kysely<PaymentTables>): Readonly<Record<string, CommandHandler>> {
  return commandHandlers<PaymentCommands>({
    ReserveFunds: (command, acknowledge) =>
      db.transaction().execute(async (trx) => {
        const { transactionId, buyerId, amount } = command.data;
        const existing = await reservationOf(trx, transactionId);
        if (existing?.status === 'RELEASED') {
          throw new DomainError('reservation-released', `Funds of ${transactionId} were released already`);
        }
        if (existing) return acknowledge(trx, `funds of ${transactionId} are reserved already`);
        const account = await lockAccount(trx, buyerId);
        await saveAccount(trx, reserve(account, amount));
        await trx
          .insertInto('fund_reservations')
          .values({
            transaction_id: transactionId,
            buyer_id: buyerId,
            amount_minor: amount.amountMinor,
            currency: amount.currency,
            status: 'RESERVED',
          })
          .execute();
        await acknowledge(trx);
      }),

    ReleaseFunds: (command, acknowledge) =>
      db.transaction().execute(async (trx) => {
        const { transactionId, buyerId } = command.data;
        const existing = await reservationOf(trx, transactionId);
        if (!existing) {
          await trx
            .insertInto('fund_reservations')
            .values({
              transaction_id: transactionId,
              buyer_id: buyerId,
              amount_minor: 0,
              currency: '',
              status: 'RELEASED',
            })
            .execute();
          return acknowledge(
            trx,
            'nothing was reserved; a later reserve of this transaction will be refused',
          );
        }
        if (existing.status === 'RELEASED') return acknowledge(trx, 'released already');
        if (existing.status === 'CAPTURED') {
          throw new DomainError(
            'funds-captured',
            `Funds of ${transactionId} were captured; they cannot be released`,
          );
        }
        await saveAccount(trx, release(await lockAccount(trx, existing.buyerId), existing));
        await setStatus(trx, transactionId, 'RELEASED');
        await acknowledge(trx);
      }),

    CaptureFunds: (command, acknowledge) =>
      db.transaction().execute(async (trx) => {
        const { transactionId } = command.data;
        const existing = await reservationOf(trx, transactionId);
        if (existing?.status === 'CAPTURED') return acknowledge(trx, 'captured already');
        if (existing?.status !== 'RESERVED') {
          throw new DomainError('no-reservation', `No reserved funds for ${transactionId} to capture`);
        }
        await saveAccount(trx, capture(await lockAccount(trx, existing.buyerId), existing));
        await setStatus(trx, transactionId, 'CAPTURED');
        await acknowledge(trx);
      }),
  });
}
