import type { EventSchema } from '../../../shared/codec/event-schema';
import { loadEventSchemas } from '../../../shared/codec/schema-loader';
import { personEventSchemaVersions } from '../people-events';

export const peopleSchemaNamespace = 'dev.deedstream.people';

/** Where the `.avsc` files live. */
export const peopleSchemaDirectory = __dirname;

/** Every Avro schema of the people stream (`<EventType>.v<N>.avsc` in this folder). */
export function loadPeopleEventSchemas(directory: string = peopleSchemaDirectory): Promise<EventSchema[]> {
  return loadEventSchemas({
    directory,
    namespace: peopleSchemaNamespace,
    currentVersions: personEventSchemaVersions,
  });
}
