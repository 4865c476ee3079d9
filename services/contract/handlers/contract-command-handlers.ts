import type { Kysely } from 'kysely';
import { DomainError } from '../../shared/errors/domain-error';
import {
  commandHandlers,
  type CommandHandler,
  type CommandHandlers,
} from '../../shared/messaging/command-processor';
import type { ContractTables } from '../contract-tables';
import type { ContractCommands } from '../published/contract-messages';

type Handler<T extends keyof ContractCommands> = CommandHandlers<ContractCommands>[T];

/**
 * Contract handlers. A contract is keyed by its purchase; a void that arrives before the
 * create (the orchestrator gave up waiting) leaves a VOIDED row so the late create is
 * refused. Only one signed contract per property exists at a time (a partial unique index).
 */
export function contractCommandHandlers(
  db: Kysely<ContractTables>,
): Readonly<Record<string, CommandHandler>> {
  return commandHandlers<ContractCommands>({
    CreateContract: createContract(db),
    VoidContract: voidContract(db),
  });
}

/** Signs the purchase's contract, once, unless the buyer or the property may not sign one now. */
function createContract(db: Kysely<ContractTables>): Handler<'CreateContract'> {
  return (command, acknowledge) =>
    db.transaction().execute(async (trx) => {
      const { transactionId, propertyId, buyerId, price } = command.data;
      const existing = await trx
        .selectFrom('contracts')
        .select('status')
        .where('transaction_id', '=', transactionId)
        .forUpdate()
        .executeTakeFirst();
      if (existing?.status === 'VOIDED') {
        throw new DomainError('contract-voided', `The contract of ${transactionId} was voided already`);
      }
      if (existing) return acknowledge(trx, 'signed already');
      await refuseUnlessSignable(trx, buyerId, propertyId);
      await trx
        .insertInto('contracts')
        .values({
          transaction_id: transactionId,
          property_id: propertyId,
          buyer_id: buyerId,
          price_minor: price.amountMinor,
          currency: price.currency,
          status: 'SIGNED',
          signed_at: new Date(),
          voided_at: null,
          void_reason: null,
        })
        .execute();
      await acknowledge(trx);
    });
}

/** The compliance desk's hold on the buyer, or another purchase's signed contract, refuses a new one. */
async function refuseUnlessSignable(
  trx: Kysely<ContractTables>,
  buyerId: string,
  propertyId: string,
): Promise<void> {
  const hold = await trx
    .selectFrom('compliance_holds')
    .select('reason')
    .where('party_id', '=', buyerId)
    .executeTakeFirst();
  if (hold)
    throw new DomainError('compliance-hold', `Buyer ${buyerId} is on compliance hold: ${hold.reason}`);
  const other = await trx
    .selectFrom('contracts')
    .select('transaction_id')
    .where('property_id', '=', propertyId)
    .where('status', '=', 'SIGNED')
    .executeTakeFirst();
  if (other) {
    throw new DomainError(
      'property-under-contract',
      `Property ${propertyId} is under contract in transaction ${other.transaction_id}`,
    );
  }
}

/**
 * Compensation: voids the purchase's signed contract. Voiding what was never signed
 * succeeds, and leaves a VOIDED row behind so that a late create is refused.
 */
function voidContract(db: Kysely<ContractTables>): Handler<'VoidContract'> {
  return (command, acknowledge) =>
    db.transaction().execute(async (trx) => {
      const { transactionId, reason } = command.data;
      const voided = await trx
        .updateTable('contracts')
        .set({ status: 'VOIDED', voided_at: new Date(), void_reason: reason })
        .where('transaction_id', '=', transactionId)
        .where('status', '=', 'SIGNED')
        .returning('transaction_id')
        .executeTakeFirst();
      if (voided) return acknowledge(trx);
      const inserted = await trx
        .insertInto('contracts')
        .values({
          transaction_id: transactionId,
          property_id: null,
          buyer_id: null,
          price_minor: null,
          currency: null,
          status: 'VOIDED',
          signed_at: null,
          voided_at: new Date(),
          void_reason: reason,
        })
        .onConflict((oc) => oc.column('transaction_id').doNothing())
        .returning('transaction_id')
        .executeTakeFirst();
      await acknowledge(
        trx,
        inserted ? 'no contract was signed; a later create will be refused' : 'voided already',
      );
    });
}
