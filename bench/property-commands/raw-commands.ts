import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { PropertyEvent } from '../../services/property/published';
import { propertyStreamType, propertyUpcasters } from '../../services/property/published';
import type { AvroEventCodec } from '../../services/shared/codec/avro-event-codec';
import { moneyFromMajor } from '../../services/shared/domain/money';
import { messageOf } from '../../services/shared/errors/message-of';
import type { CommandPort, Kind, Outcome } from '../support/http-commands';
import { sampleListing } from '../support/sample-listing';
import type { RawStatements } from './raw-statements';

/** The actor the raw path records, as the API records the token subject. */
const RAW_ACTOR = 'bench-raw-seller';
const UNIQUE_VIOLATION = '23505';

export interface Template {
  type: string;
  /** The schema version the service writes this type at now. */
  schemaVersion: number;
  /** jsonb payload as the service would store it. */
  json: object;
  /** Avro in the Confluent wire format, encoded once before the run. */
  avro: Buffer;
}

/**
 * Events the aggregate really raises (so payload sizes are realistic), encoded once with the
 * service's codec: the baseline pays no Avro cost, only the database round trips.
 */
export async function eventTemplates(codec: AvroEventCodec): Promise<Record<Kind, Template>> {
  const property = sampleListing('bench-raw-template', 123);
  property.execute({ type: 'ChangePrice', price: moneyFromMajor(640_000, 'EUR') });
  property.execute({
    type: 'ReceiveOffer',
    offerId: randomUUID(),
    buyerId: 'buyer-1',
    amount: moneyFromMajor(630_000, 'EUR'),
  });
  const [listed, price, offer] = property.uncommittedEvents;
  const template = async (event: PropertyEvent | undefined): Promise<Template> => {
    if (!event) throw new Error('the template property raised fewer events than expected');
    const schemaVersion = propertyUpcasters.currentVersion(event.type);
    return {
      type: event.type,
      schemaVersion,
      json: event.data,
      avro: await codec.encode(event.type, schemaVersion, event.data),
    };
  };
  return { list: await template(listed), price: await template(price), offer: await template(offer) };
}

/**
 * The raw path: per command, the statements the API ends up issuing (the stream's load for a
 * command on an existing property, then the one-statement append) straight through `pg`.
 */
export class RawCommands implements CommandPort {
  constructor(
    private readonly pool: Pool,
    private readonly statements: RawStatements,
    private readonly templates: Record<Kind, Template>,
  ) {}

  async run(kind: Kind, target: string | undefined): Promise<Outcome> {
    let streamId: string;
    let version: number;
    if (kind === 'list' || target === undefined) {
      streamId = `bench-raw-${randomUUID()}`;
      version = 1;
    } else {
      // What repository.load() reads before a command on an existing property.
      const { rows } = await this.pool.query<{ version: number }>({
        name: 'bench_select_stream',
        text: this.statements.selectStream,
        values: [target, target],
      });
      streamId = target;
      version = (rows.at(-1)?.version ?? 0) + 1;
    }
    const template = this.templates[kind];
    const eventId = randomUUID();
    const occurredAt = new Date();
    const metadata = {
      eventId,
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
      actor: RAW_ACTOR,
    };
    const payload = template.json;
    try {
      await this.pool.query({
        name: 'bench_append',
        text: this.statements.append,
        values: [
          eventId,
          streamId,
          propertyStreamType,
          version,
          template.type,
          template.schemaVersion,
          JSON.stringify(payload),
          JSON.stringify(metadata),
          occurredAt,
          template.avro,
          metadata.correlationId,
          occurredAt.toISOString(),
          RAW_ACTOR,
        ],
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return { result: 'conflict' };
      return { result: 'error', detail: messageOf(error) };
    }
    return kind === 'list' ? { result: 'ok', id: streamId } : { result: 'ok' };
  }
}
