import type { EventSchema } from '../shared/codec/event-schema';
import { propertyTopic } from '../property/property-service';
import { loadPropertyEventSchemas } from '../property/schemas/property-schemas';

/** Every stream whose Avro schemas this repository owns, with the topic they are published on. */
export const schemaSets: ReadonlyArray<{ name: string; topic: string; load: () => Promise<EventSchema[]> }> =
  [{ name: 'property', topic: propertyTopic, load: loadPropertyEventSchemas }];
