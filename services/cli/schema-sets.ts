import type { EventSchema } from '../shared/codec/event-schema';
import type { Upcasters } from '../shared/codec/upcasters';
import { loadContractCommandSchemas } from '../contract/published/contract-messages';
import { loadPaymentCommandSchemas } from '../payment/published/payment-messages';
import { propertyTopic, propertyUpcasters } from '../property/published';
import { loadPropertyCommandSchemas } from '../property/published';
import { loadPropertyEventSchemas } from '../property/published';
import { loadPeopleEventSchemas, peopleTopic, peopleUpcasters } from '../people/published';
import { commandChannel, replyChannel } from '../shared/messaging/channels';
import { loadCommandReplySchemas } from '../shared/messaging/command-reply';
import { loadTitleCommandSchemas } from '../title/published/title-messages';

type SchemaSet = {
  name: string;
  topic: string;
  load: () => Promise<EventSchema[]>;
  /** How readers bring an old version up to date (none: every type is at v1). */
  upcasters?: Upcasters;
};

const commands: ReadonlyArray<[string, () => Promise<EventSchema[]>]> = [
  ['payment', loadPaymentCommandSchemas],
  ['property', loadPropertyCommandSchemas],
  ['contract', loadContractCommandSchemas],
  ['title', loadTitleCommandSchemas],
];

/** Every stream whose Avro schemas this repository owns, with the topic they are published on. */
export const schemaSets: readonly SchemaSet[] = [
  { name: 'property', topic: propertyTopic, load: loadPropertyEventSchemas, upcasters: propertyUpcasters },
  { name: 'people', topic: peopleTopic, load: loadPeopleEventSchemas, upcasters: peopleUpcasters },
  ...commands.flatMap(([service, load]): SchemaSet[] => [
    { name: `${service}-commands`, topic: commandChannel(service), load },
    { name: `${service}-replies`, topic: replyChannel(service), load: loadCommandReplySchemas },
  ]),
];
