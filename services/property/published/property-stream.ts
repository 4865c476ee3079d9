import type { StreamSchemas } from '../../shared/codec/stream-schemas';
import { Upcasters } from '../../shared/codec/upcasters';
import { loadPropertyEventSchemas } from './schemas/property-schemas';
import { propertyTopic } from './topics';

/**
 * Old property events are never rewritten: readers lift them to today's shape, one
 * version at a time, whether they read the event store or the topic.
 */
export const propertyUpcasters = new Upcasters().register('PropertyListed', 1, (v1) => {
  // v2 drops propertyId (the stream id says it); a v1 listing predates owners and agents.
  const { propertyId: _redundant, ...rest } = v1;
  return { ...rest, ownerId: null, listingAgent: null };
});

/** `property.events`: every version of every property event, and how to bring it up to date. */
export const propertyEventStream: StreamSchemas = {
  topic: propertyTopic,
  load: () => loadPropertyEventSchemas(),
  upcasters: propertyUpcasters,
};
