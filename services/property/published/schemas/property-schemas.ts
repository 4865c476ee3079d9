import type { EventSchema } from '../../../shared/codec/event-schema';
import { loadEventSchemas } from '../../../shared/codec/schema-loader';
import { propertyEventSchemaVersions } from '../property-events';

export const propertySchemaNamespace = 'dev.deedstream.property';

/** Where the `.avsc` files live; a build that emits JavaScript elsewhere must copy them along. */
export const propertySchemaDirectory = __dirname;

/** Every Avro schema of the property stream (`<EventType>.v<N>.avsc` in this folder). */
export function loadPropertyEventSchemas(
  directory: string = propertySchemaDirectory,
): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory,
    namespace: propertySchemaNamespace,
    currentVersions: propertyEventSchemaVersions,
  });
}
