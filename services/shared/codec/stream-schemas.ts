import { Upcasters } from './upcasters';
import type { EventSchema } from './event-schema';

/**
 * One published stream: the topic, every Avro schema it was ever written with (all
 * versions, from the owner's `.avsc` files) and the upcasters that lift an old payload to
 * today's shape. A consumer decodes with the writer's schema and upcasts in code.
 */
export interface StreamSchemas {
  topic: string;
  load: () => Promise<EventSchema[]>;
  upcasters?: Upcasters;
}

export const noUpcasters = new Upcasters();
