import type { Kysely } from 'kysely';
import { DomainError } from '../../shared/errors/domain-error';
import type { EventSourcedRepository } from '../../shared/event-sourcing/repository';
import type { CommandContext } from '../../shared/domain/command-context';
import type { EventStoreTables } from '../../shared/event-store/tables';
import type { PostgresTransaction } from '../../shared/event-store/postgres-event-store';
import {
  commandHandlers,
  type Acknowledge,
  type CommandHandler,
  type CommandHandlers,
} from '../../shared/messaging/command-processor';
import type { IncomingMessage } from '../../shared/messaging/incoming-message';
import type { MessagingTables } from '../../shared/messaging/messaging-tables';
import { propertyView, type Property } from '../domain/property';
import type { PropertyView } from '../domain/property-view';
import type { PropertyEvent } from '../published/property-events';
import type { PropertyCommands } from '../published/commands/property-messages';

type Repository = EventSourcedRepository<PropertyEvent, Property, PostgresTransaction>;
type Handler<T extends keyof PropertyCommands> = CommandHandlers<PropertyCommands>[T];

const sagaContext = (command: IncomingMessage<object>): CommandContext => ({
  correlationId: command.correlationId,
  causationId: command.messageId,
  traceparent: null,
  // The buyer who started the purchase, as every command of it names them.
  actor: command.actor,
});

/**
 * A purchase's step on the Property aggregate. `answer` looks at the property first: if it
 * already shows the step's effect, or shows nothing of this purchase to act on, the step
 * only answers with that detail (the inbox claim and the reply, no event). Otherwise `act`
 * changes the property, and its events commit with the reply.
 */
type SagaStep = (
  command: IncomingMessage<object>,
  acknowledge: Acknowledge,
  propertyId: string,
  answer: (view: PropertyView) => string | undefined,
  act: (property: Property) => void,
) => Promise<void>;

/**
 * The property service's part in a purchase, through the Property aggregate: its events
 * (PropertyReserved, ReservationReleased, PropertySold), the inbox claim and the reply
 * commit in one transaction, guarded by the stream version (a conflict is retried).
 */
export function propertyCommandHandlers(
  repository: Repository,
  db: Kysely<EventStoreTables & MessagingTables>,
): Readonly<Record<string, CommandHandler>> {
  const step = sagaStep(repository, db);
  return commandHandlers<PropertyCommands>({
    ReserveProperty: reserveProperty(step),
    ReleasePropertyReservation: releasePropertyReservation(step),
    MarkPropertySold: markPropertySold(step),
  });
}

function sagaStep(repository: Repository, db: Kysely<EventStoreTables & MessagingTables>): SagaStep {
  const load = async (propertyId: string): Promise<Property> => {
    const property = await repository.load(propertyId);
    if (!property) throw new DomainError('property-not-found', `Property ${propertyId} does not exist`);
    return property;
  };
  return async (command, acknowledge, propertyId, answer, act) => {
    const detail = answer(propertyView(await load(propertyId)));
    if (detail !== undefined) {
      await db.transaction().execute((trx) => acknowledge(trx, detail));
      return;
    }
    const property = await load(propertyId);
    const version = property.version;
    act(property);
    await repository.save(property, version, sagaContext(command), (trx) => acknowledge(trx));
  };
}

/** This purchase holds the property's reservation, and the property is in `status`. */
const heldBy = (view: PropertyView, transactionId: string, status: PropertyView['status']): boolean =>
  view.reservation?.transactionId === transactionId && view.status === status;

function reserveProperty(step: SagaStep): Handler<'ReserveProperty'> {
  return (command, acknowledge) => {
    const { transactionId, propertyId, offerId, buyerId } = command.data;
    return step(
      command,
      acknowledge,
      propertyId,
      (view) => (heldBy(view, transactionId, 'reserved') ? 'reserved already' : undefined),
      (p) => p.execute({ type: 'Reserve', transactionId, offerId, buyerId }),
    );
  };
}

/**
 * Compensation must not fail: nothing of this purchase to release is success, and another
 * purchase's reservation is left alone. Only a sale this purchase completed is refused.
 */
function releasePropertyReservation(step: SagaStep): Handler<'ReleasePropertyReservation'> {
  return (command, acknowledge) => {
    const { transactionId, propertyId, reason } = command.data;
    return step(
      command,
      acknowledge,
      propertyId,
      (view) => {
        if (heldBy(view, transactionId, 'sold')) {
          throw new DomainError('property-sold', `Property ${propertyId} was sold by ${transactionId}`);
        }
        return view.reservation?.transactionId !== transactionId
          ? 'no reservation of this purchase to release'
          : undefined;
      },
      (p) => p.execute({ type: 'ReleaseReservation', transactionId, reason }),
    );
  };
}

function markPropertySold(step: SagaStep): Handler<'MarkPropertySold'> {
  return (command, acknowledge) => {
    const { transactionId, propertyId } = command.data;
    return step(
      command,
      acknowledge,
      propertyId,
      (view) => (heldBy(view, transactionId, 'sold') ? 'sold already' : undefined),
      (p) => p.execute({ type: 'MarkSold', transactionId }),
    );
  };
}
