import type { Kysely } from 'kysely';
import { DomainError } from '../../shared/errors/domain-error';
import {
  commandHandlers,
  type CommandHandler,
  type CommandHandlers,
} from '../../shared/messaging/command-processor';
import { capture, release, reserve } from '../domain/account';
import type { PaymentCommands } from '../published/payment-messages';
import type { PaymentTables } from '../payment-tables';
import { insertReservation, lockAccount, reservationOf, saveAccount, setStatus } from './payment-rows';

type Handler<T extends keyof PaymentCommands> = CommandHandlers<PaymentCommands>[T];

/**
 * The payment service's command handlers. Each runs in one transaction that locks the
 * account and the reservation row, applies the change, and acknowledges (inbox + reply).
 * A transaction id is reserved at most once: a release that arrives before its reserve
 * (the orchestrator gave up waiting) leaves a RELEASED row, so the late reserve is refused.
 */
export function paymentCommandHandlers(db: Kysely<PaymentTables>): Readonly<Record<string, CommandHandler>> {
  return commandHandlers<PaymentCommands>({
    ReserveFunds: reserveFunds(db),
    ReleaseFunds: releaseFunds(db),
    CaptureFunds: captureFunds(db),
  });
}

/** Holds the purchase price out of the buyer's available balance, once per purchase. */
function reserveFunds(db: Kysely<PaymentTables>): Handler<'ReserveFunds'> {
  return (command, acknowledge) =>
    db.transaction().execute(async (trx) => {
      const { transactionId, buyerId, amount } = command.data;
      const existing = await reservationOf(trx, transactionId);
      if (existing?.status === 'RELEASED') {
        throw new DomainError('reservation-released', `Funds of ${transactionId} were released already`);
      }
      if (existing) return acknowledge(trx, `funds of ${transactionId} are reserved already`);
      const account = await lockAccount(trx, buyerId);
      await saveAccount(trx, reserve(account, amount));
      await insertReservation(trx, {
        transactionId,
        buyerId,
        amountMinor: amount.amountMinor,
        currency: amount.currency,
        status: 'RESERVED',
      });
      await acknowledge(trx);
    });
}

/**
 * Compensation: gives reserved funds back. Releasing what was never reserved succeeds, and
 * leaves a RELEASED row behind; releasing captured funds is refused (the money has moved).
 */
function releaseFunds(db: Kysely<PaymentTables>): Handler<'ReleaseFunds'> {
  return (command, acknowledge) =>
    db.transaction().execute(async (trx) => {
      const { transactionId, buyerId } = command.data;
      const existing = await reservationOf(trx, transactionId);
      if (!existing) {
        await insertReservation(trx, {
          transactionId,
          buyerId,
          amountMinor: 0,
          currency: '',
          status: 'RELEASED',
        });
        return acknowledge(trx, 'nothing was reserved; a later reserve of this transaction will be refused');
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
    });
}

/** Takes reserved funds off the buyer's balance for good: the sale went through. */
function captureFunds(db: Kysely<PaymentTables>): Handler<'CaptureFunds'> {
  return (command, acknowledge) =>
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
    });
}
