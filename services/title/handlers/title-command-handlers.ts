import type { Kysely } from 'kysely';
import { DomainError } from '../../shared/errors/domain-error';
import {
  commandHandlers,
  type CommandHandler,
  type CommandHandlers,
} from '../../shared/messaging/command-processor';
import type { TitleCommands } from '../published/title-messages';
import type { TitleTables } from '../title-tables';

type Trx = Kysely<TitleTables>;
type Handler<T extends keyof TitleCommands> = CommandHandlers<TitleCommands>[T];

/** Locks the property's title row, creating it (held by the listing seller) on first use. */
async function lockTitle(trx: Trx, propertyId: string): Promise<{ owner: string | null }> {
  await trx
    .insertInto('titles')
    .values({ property_id: propertyId, owner_id: null })
    .onConflict((oc) => oc.column('property_id').doNothing())
    .execute();
  const row = await trx
    .selectFrom('titles')
    .select('owner_id')
    .where('property_id', '=', propertyId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { owner: row.owner_id };
}

async function setOwner(trx: Trx, propertyId: string, owner: string | null): Promise<void> {
  await trx
    .updateTable('titles')
    .set({ owner_id: owner, updated_at: new Date() })
    .where('property_id', '=', propertyId)
    .execute();
}

/**
 * Title registry handlers. A transfer is refused while the property has a lien; a
 * revert gives the title back to the owner recorded before the transfer. A revert that
 * arrives before its transfer leaves a REVERTED row so the late transfer is refused.
 */
export function titleCommandHandlers(db: Kysely<TitleTables>): Readonly<Record<string, CommandHandler>> {
  return commandHandlers<TitleCommands>({
    TransferTitle: transferTitle(db),
    RevertTitle: revertTitle(db),
  });
}

/** Hands the title to the buyer, once per purchase, unless a lien blocks it. */
function transferTitle(db: Kysely<TitleTables>): Handler<'TransferTitle'> {
  return (command, acknowledge) =>
    db.transaction().execute(async (trx) => {
      const { transactionId, propertyId, buyerId } = command.data;
      const title = await lockTitle(trx, propertyId);
      const existing = await trx
        .selectFrom('title_transfers')
        .select('status')
        .where('transaction_id', '=', transactionId)
        .executeTakeFirst();
      if (existing?.status === 'REVERTED') {
        throw new DomainError('transfer-reverted', `The transfer of ${transactionId} was reverted already`);
      }
      if (existing) return acknowledge(trx, 'transferred already');
      await refuseIfEncumbered(trx, propertyId);
      await trx
        .insertInto('title_transfers')
        .values({
          transaction_id: transactionId,
          property_id: propertyId,
          from_owner: title.owner,
          to_owner: buyerId,
          status: 'TRANSFERRED',
        })
        .execute();
      await setOwner(trx, propertyId, buyerId);
      await acknowledge(trx);
    });
}

async function refuseIfEncumbered(trx: Trx, propertyId: string): Promise<void> {
  const lien = await trx
    .selectFrom('liens')
    .select(['lien_id', 'reason'])
    .where('property_id', '=', propertyId)
    .executeTakeFirst();
  if (lien) {
    throw new DomainError(
      'title-encumbered',
      `Property ${propertyId} has lien ${lien.lien_id} (${lien.reason}); it must be lifted before a transfer`,
    );
  }
}

/**
 * Compensation: gives the title back to the owner before the transfer. Only while the buyer
 * still holds it: a later transfer must be reverted first.
 */
function revertTitle(db: Kysely<TitleTables>): Handler<'RevertTitle'> {
  return (command, acknowledge) =>
    db.transaction().execute(async (trx) => {
      const { transactionId, propertyId } = command.data;
      const title = await lockTitle(trx, propertyId);
      const transfer = await trx
        .selectFrom('title_transfers')
        .selectAll()
        .where('transaction_id', '=', transactionId)
        .forUpdate()
        .executeTakeFirst();
      if (!transfer) {
        await trx
          .insertInto('title_transfers')
          .values({
            transaction_id: transactionId,
            property_id: propertyId,
            from_owner: null,
            to_owner: null,
            status: 'REVERTED',
          })
          .execute();
        return acknowledge(trx, 'nothing was transferred; a later transfer will be refused');
      }
      if (transfer.status === 'REVERTED') return acknowledge(trx, 'reverted already');
      if (title.owner !== transfer.to_owner) {
        throw new DomainError(
          'title-moved-on',
          `Property ${propertyId} changed hands again after ${transactionId}; revert that first`,
        );
      }
      await setOwner(trx, propertyId, transfer.from_owner);
      await trx
        .updateTable('title_transfers')
        .set({ status: 'REVERTED', updated_at: new Date() })
        .where('transaction_id', '=', transactionId)
        .execute();
      await acknowledge(trx);
    });
}
