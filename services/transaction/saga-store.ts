import type { Kysely, Selectable } from 'kysely';
import { commandChannel } from '../shared/messaging/channels';
import type { MessageCodecs } from '../shared/messaging/message-codecs';
import { messageOutboxRows } from '../shared/messaging/outgoing-message';
import { TransientError } from '../shared/errors/transient';
import type { HistoryEntry, OutgoingCommand, PurchaseSaga, Transition } from './domain/purchase-saga';
import type { SagasTable, TransactionTables } from './transaction-tables';

export type Db = Kysely<TransactionTables>;

export function sagaFromRow(row: Selectable<SagasTable>): PurchaseSaga {
  return {
    transactionId: row.transaction_id,
    propertyId: row.property_id,
    offerId: row.offer_id,
    buyerId: row.buyer_id,
    price: { amountMinor: Number(row.price_minor), currency: row.currency },
    status: row.status,
    step: row.step,
    phase: row.phase,
    awaitingMessageId: row.awaiting_message_id,
    deadlineAt: row.deadline_at,
    completedSteps: row.completed_steps,
    pendingCompensations: row.pending_compensations,
    cause: row.cause,
    sequence: row.sequence,
    version: row.version,
  };
}

/** Loads a saga and locks it until the transaction ends. */
export async function lockSaga(trx: Db, transactionId: string): Promise<PurchaseSaga | undefined> {
  const row = await trx
    .selectFrom('sagas')
    .selectAll()
    .where('transaction_id', '=', transactionId)
    .forUpdate()
    .executeTakeFirst();
  return row ? sagaFromRow(row) : undefined;
}

/**
 * Writes a transition in the caller's transaction: the saga's new state (created, or
 * updated if still at the version it was read at), its history lines and the command
 * it sends, as an outbox row. State and message commit together or not at all.
 */
export async function writeTransition(
  trx: Db,
  codecs: MessageCodecs,
  transition: Transition,
  created: boolean,
): Promise<PurchaseSaga> {
  const { saga, send, history } = transition;
  if (created) await insertSaga(trx, saga);
  else await updateSaga(trx, saga);
  await insertHistory(trx, saga.transactionId, history);
  if (send) await insertCommand(trx, codecs, saga, send);
  return { ...saga, version: saga.version + 1 };
}

/** The columns a transition changes, the version counted up. */
function sagaState(saga: PurchaseSaga) {
  return {
    status: saga.status,
    step: saga.step,
    phase: saga.phase,
    awaiting_message_id: saga.awaitingMessageId,
    deadline_at: saga.deadlineAt,
    completed_steps: JSON.stringify(saga.completedSteps),
    pending_compensations: JSON.stringify(saga.pendingCompensations),
    cause: saga.cause,
    sequence: saga.sequence,
    version: saga.version + 1,
    updated_at: new Date(),
  };
}

async function insertSaga(trx: Db, saga: PurchaseSaga): Promise<void> {
  await trx
    .insertInto('sagas')
    .values({
      transaction_id: saga.transactionId,
      property_id: saga.propertyId,
      offer_id: saga.offerId,
      buyer_id: saga.buyerId,
      price_minor: saga.price.amountMinor,
      currency: saga.price.currency,
      ...sagaState(saga),
    })
    .execute();
}

/** Only from the version the transition was decided on: another writer's change in between is retried. */
async function updateSaga(trx: Db, saga: PurchaseSaga): Promise<void> {
  const updated = await trx
    .updateTable('sagas')
    .set(sagaState(saga))
    .where('transaction_id', '=', saga.transactionId)
    .where('version', '=', saga.version)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) {
    throw new TransientError(`saga ${saga.transactionId} changed since version ${saga.version}`);
  }
}

/** The command the transition sends, as an outbox row. */
async function insertCommand(
  trx: Db,
  codecs: MessageCodecs,
  saga: PurchaseSaga,
  send: OutgoingCommand,
): Promise<void> {
  const rows = await messageOutboxRows(codecs, [
    {
      channel: commandChannel(send.participant),
      key: send.key,
      type: send.type,
      data: send.data,
      messageId: send.messageId,
      correlationId: saga.transactionId,
      causationId: send.causationId,
      // Every command of a purchase names its buyer, who started it, for the audit trail.
      actor: saga.buyerId,
      sequence: send.sequence,
    },
  ]);
  await trx.insertInto('outbox').values(rows).execute();
}

async function insertHistory(trx: Db, transactionId: string, history: HistoryEntry[]): Promise<void> {
  if (history.length === 0) return;
  await trx
    .insertInto('saga_history')
    .values(
      history.map((h) => ({
        transaction_id: transactionId,
        step: h.step,
        phase: h.phase,
        command: h.command,
        message_id: h.messageId,
        outcome: h.outcome,
        detail: h.detail,
        at: h.at,
      })),
    )
    .execute();
}
