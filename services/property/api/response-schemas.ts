import { z } from 'zod';
import { instantSchema, moneyJsonSchema } from '../../shared/http/openapi/common-schemas';
import { publicAgentCardJson } from '../published/listing-agent-view';
import { offerStatuses, propertyStatuses } from '../published/property-status';
import { propertyTypes } from '../published/property-type';

/** Another person's id is null unless the caller is the listing's owner or that person (see Viewer). */
const person = z.string().nullable();

/** The answer to a command: the version it made and the token that waits for it in the read models. */
export const commandAccepted = z.strictObject({
  id: z.uuid(),
  version: z.number().int().positive(),
  consistencyToken: z.string().meta({
    description: '"<id>@<version>": pass it to the search and analytics APIs to read this write.',
  }),
});
export const offerReceived = commandAccepted.extend({ offerId: z.uuid() });

const address = z.strictObject({
  street: z.string(),
  city: z.string(),
  postalCode: z.string(),
  region: z.string(),
  country: z.string(),
  lat: z.number(),
  lon: z.number(),
});

/** The listing agent's public card (see publicAgentCard); `erased` once the agent was erased. */
export const listingAgentJson = publicAgentCardJson
  .nullable()
  .meta({ description: 'Set when an agent listed it: their public card (name and agency).' });

/** GET /properties/:id (see propertyJson). */
export const propertyState = z.strictObject({
  id: z.uuid(),
  version: z.number().int().positive(),
  status: z.enum(propertyStatuses),
  address,
  price: moneyJsonSchema,
  bedrooms: z.number().int(),
  bathrooms: z.number().int(),
  areaSqm: z.number(),
  type: z.enum(propertyTypes),
  description: z.string().nullable(),
  listedAt: z.string(),
  ownerId: person,
  listingAgent: listingAgentJson,
  offers: z.array(
    z.strictObject({
      offerId: z.string(),
      buyerId: person,
      amount: moneyJsonSchema,
      status: z.enum(offerStatuses),
    }),
  ),
  acceptedOfferId: z.string().nullable(),
  reservation: z.strictObject({ transactionId: z.string(), offerId: z.string(), buyerId: person }).nullable(),
  salePrice: moneyJsonSchema.nullable(),
  priceChangeCount: z.number().int().min(0),
});

/** GET /properties/:id/events (see eventJson). */
export const eventPage = z.strictObject({
  events: z.array(
    z.strictObject({
      eventId: z.string(),
      version: z.number().int().positive(),
      type: z.string().meta({ description: 'The event type, such as PropertyListed or PriceChanged.' }),
      schemaVersion: z.number().int().positive(),
      occurredAt: instantSchema,
      data: z
        .record(z.string(), z.unknown())
        .meta({ description: "The event's payload, as its type defines it." }),
      metadata: z.strictObject({
        eventId: z.string(),
        correlationId: z.string(),
        causationId: z.string().nullable(),
        traceparent: z.string().nullable(),
        actor: person,
      }),
    }),
  ),
  next: z.string().nullable().meta({ description: 'The next page, or null on the last one.' }),
});

const recordCount = z.number().int().min(0);

/** GET /ops/feeds (see FeedSourceReport): what became of every listing feed's records. */
export const feedReportJson = z.strictObject({
  sources: z.array(
    z.strictObject({
      source: z.string().meta({ description: 'The feed (its topic is listing-feed.<source>).' }),
      imported: recordCount,
      updated: recordCount,
      unchanged: recordCount,
      rejected: recordCount.meta({ description: 'Records sent to listing-feed.<source>.dlq.' }),
      reasons: z
        .array(z.strictObject({ reason: z.string(), records: recordCount }))
        .meta({ description: 'The rejected records by reason.' }),
      lastRecordAt: instantSchema
        .nullable()
        .meta({ description: 'When its newest record was recorded; null before the first.' }),
    }),
  ),
});
