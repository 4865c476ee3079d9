import type { StreamSchemas } from '../../shared/codec/stream-schemas';
import { Upcasters } from '../../shared/codec/upcasters';
import { loadPeopleEventSchemas } from './schemas/people-schemas';
import { peopleTopic } from './topics';

/** Every people event is at its first version: nothing to lift yet. */
export const peopleUpcasters = new Upcasters();

/** `people.events`: every version of every person event. */
export const peopleEventStream: StreamSchemas = {
  topic: peopleTopic,
  load: () => loadPeopleEventSchemas(),
  upcasters: peopleUpcasters,
};
