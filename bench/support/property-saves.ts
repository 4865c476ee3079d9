import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../../services/shared/domain/command-context';
import type { PropertyHarness } from '../../test/support/property-harness';

/**
 * The property service's repository, which bench:relay and bench:projections save through
 * in their own process: the service's real write path (Avro encoding, the one-statement
 * append of events and outbox rows) without HTTP in front of it.
 */
export type PropertyRepository = PropertyHarness['service']['repository'];

/** The context of one benchmark save: a conversation of its own, `actor` saying which benchmark wrote it. */
export function benchSaveContext(actor: string): CommandContext {
  return { correlationId: randomUUID(), causationId: null, traceparent: null, actor };
}
