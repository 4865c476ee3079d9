import type { Kysely } from 'kysely';
import { DomainError } from '../../shared/errors/domain-error';
import type { EventSourcedRepository } from '../../shared/event-sourcing/repository';
import type { CommandContext } from '../../shared/domain/command-context';
import type { EventStoreTables } from '../../shared/event-store/tables';
import type { PostgresTransaction } from '../../shared/event-store/postgres-event-store';
import { commandHandlers, type CommandHandler } from '../../shared/messaging/command-processor';
import type { IncomingMessage } from '../../shared/messaging/incoming-message';
import type { MessagingTables } from '../../shared/messaging/messaging-tables';
import { propertyView, type Property } from '../domain/property';
import type { PropertyEvent } from '../published/property-events';
import type { PropertyCommands } from '../published/commands/property-messages';

type Repository = EventSourcedRepository<PropertyEvent, Property, PostgresTransaction>;

const sagaContext = (command: IncomingMessage<object>): CommandContext => ({
  correlationId: command.correlationId,
  causationId: command.messageId,
  traceparent: null,
  // The buyer who started the purchase, as every command of it names them.
  actor: command.actor,
});

/**
 * The property service's part in a purchase, through the Property aggregate: its events
 * (PropertyReserved, ReservationReleased, PropertySold), the inbox claim and the reply
 * commit in one transaction, guarded by the stream version (a conflict is retried).
 */
export function propertyCommandHandlers(
  repository: Repository,
  db: Kysely<EventStoreTables & MessagingTables>,
): Readonly<Record<string, CommandHandler>> {
  const load = async (propertyId: string): Promise<Property> => {
    const property = await repository.load(propertyId);
    if (!property) throw new DomainError('property-not-found', `Property ${propertyId} does not exist`);
    return property;
  };
  const decide = async (
    command: IncomingMessage<object>,
    propertyId: string,
    act: (property: Property) => void,
    acknowledge: Parameters<CommandHandler>[1],
  ) => {
    const property = await load(propertyId);
    const version = property.version;
    act(property);
    await repository.save(property, version, sagaContext(command), (trx) => acknowledge(trx));
  };

  return commandHandlers<PropertyCommands>({
    ReserveProperty: async (command, acknowledge) => {
      const { transactionId, propertyId, offerId, buyerId } = command.data;
      const property = await load(propertyId);
      const view = propertyView(property);
      if (view.reservation?.transactionId === transactionId && view.status === 'reserved') {
        await db.transaction().execute((trx) => acknowledge(trx, 'reserved already'));
        return;
      }
      await decide(
        command,
        propertyId,
        (p) => p.execute({ type: 'Reserve', transactionId, offerId, buyerId }),
        acknowledge,
      );
    },

    ReleasePropertyReservation: async (command, acknowledge) => {
      const { transactionId, propertyId, reason } = command.data;
      const property = await load(propertyId);
      // Compensation must not fail: nothing of this purchase to release is success, and
      // another purchase's reservation is left alone.
      const view = propertyView(property);
      if (view.reservation?.transactionId === transactionId && view.status === 'sold') {
        throw new DomainError('property-sold', `Property ${propertyId} was sold by ${transactionId}`);
      }
      if (view.reservation?.transactionId !== transactionId) {
        await db
          .transaction()
          .execute((trx) => acknowledge(trx, 'no reservation of this purchase to release'));
        return;
      }
      await decide(
        command,
        propertyId,
        (p) => p.execute({ type: 'ReleaseReservation', transactionId, reason }),
        acknowledge,
      );
    },

    MarkPropertySold: async (command, acknowledge) => {
      const { transactionId, propertyId } = command.data;
      const property = await load(propertyId);
      const view = propertyView(property);
      if (view.reservation?.transactionId === transactionId && view.status === 'sold') {
        await db.transaction().execute((trx) => acknowledge(trx, 'sold already'));
        return;
      }
      await decide(command, propertyId, (p) => p.execute({ type: 'MarkSold', transactionId }), acknowledge);
    },
  });
}
