import { sql, type Kysely } from 'kysely';
import type { ConnectClient } from './connect-client';
import { dropSlotWhenInactive } from './replication-slot';

/**
 * Connectors this project once deployed and no longer declares. Until 2026-12 every service
 * had its own outbox connector, slot and WAL sender; connectors/outbox-relay.json relays all
 * six outboxes of the database through one. Listed by name, so a connector somebody else
 * runs on the same Connect cluster (a test's throwaway one) is never touched.
 */
export const retiredConnectors: readonly string[] = [
  'property-outbox',
  'people-outbox',
  'transaction-outbox',
  'payment-outbox',
  'contract-outbox',
  'title-outbox',
];

/**
 * Deletes the retired connectors still running on `connect`, then their replication slots
 * (which would otherwise hold WAL forever) and publications. Run after their replacement is
 * RUNNING: a change committed meanwhile is relayed by both (consumers are idempotent), none
 * by neither. Returns the names it retired.
 */
export async function retireConnectors(
  connect: ConnectClient,
  db: Kysely<unknown>,
  timeoutMs = 60_000,
): Promise<string[]> {
  const running = new Set(await connect.list());
  const retired: string[] = [];
  for (const name of retiredConnectors.filter((n) => running.has(n))) {
    const config = await connect.connectorConfig(name);
    await connect.delete(name);
    const slot = config?.['slot.name'];
    if (slot) await dropSlotWhenInactive(db, slot, timeoutMs);
    const publication = config?.['publication.name'];
    if (publication) await sql`DROP PUBLICATION IF EXISTS ${sql.id(publication)}`.execute(db);
    retired.push(name);
  }
  return retired;
}
