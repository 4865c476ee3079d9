import { projectionTopics } from '../shared/projection/projection';
import { marketAnalyticsProjection } from '../analytics/projections/market-analytics-projection';
import { propertySearchProjection } from '../search/projections/property-search-projection';
import { valuationProjection } from '../valuation/projections/valuation-projection';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { propertySchema, propertyStreamType, propertyTopic } from '../property/published';
import { AvroEventCodec } from '../shared/codec/avro-event-codec';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { createDatabase } from '../shared/db/database';
import type { RecordedEvent } from '../shared/domain/domain-event';
import { PostgresEventStore } from '../shared/event-store/postgres-event-store';
import type { EventStoreTables } from '../shared/event-store/tables';
import type { Projection, VersionedDocument } from '../shared/projection/projection';

/**
 * Every projection this repository runs, by name. The list holds projections of different
 * document types; the operations that take one from it only need what every document has.
 */
export const projections: ReadonlyArray<Projection<VersionedDocument>> = [
  propertySearchProjection as unknown as Projection<VersionedDocument>,
  marketAnalyticsProjection as unknown as Projection<VersionedDocument>,
  valuationProjection as unknown as Projection<VersionedDocument>,
];

export function projectionNamed(name: string): Projection<VersionedDocument> {
  const found = projections.find((p) => p.name === name);
  if (!found)
    throw new Error(`unknown projection "${name}": use one of ${projections.map((p) => p.name).join(', ')}`);
  return found;
}

/** Where a projection's truth lives: the event store of the service that publishes its topic. */
export function eventSourceOf(projection: Pick<Projection<VersionedDocument>, 'name' | 'streams'>): {
  readAll: (afterPosition: bigint, limit: number) => Promise<RecordedEvent[]>;
  close: () => Promise<void>;
} {
  if (!projectionTopics(projection).every((t) => t === propertyTopic)) {
    throw new Error(
      `${projection.name}: no event store is known for ${projectionTopics(projection).join(', ')}`,
    );
  }
  const config = infrastructureConfig();
  const db = createDatabase<EventStoreTables>({
    connectionString: config.DATABASE_URL,
    maxConnections: 2,
  }).withSchema(propertySchema);
  // Reading needs no encoding: the codec is never asked for a schema.
  const store = new PostgresEventStore(
    db,
    propertyStreamType,
    new AvroEventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }), propertyTopic, []),
  );
  return { readAll: (after, limit) => store.readAll(after, limit), close: () => db.destroy() };
}
