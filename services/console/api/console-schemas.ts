import { z } from 'zod';

/** Where to go in the console once signed in: one of its own `#/…` routes, nothing else. */
const returnTo = z
  .string()
  .regex(/^#\/[A-Za-z0-9/?&=%._~+-]{0,500}$/, 'a route of the console, such as #/listings')
  .default('#/listings');

export const signInQuery = z.strictObject({ returnTo });

/** What the identity provider sends the browser back with: a code, or an error. */
export const signInCallbackQuery = z.strictObject({
  state: z.string().min(1).max(200),
  code: z.string().min(1).max(4_000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1_000).optional(),
  session_state: z.string().max(200).optional(),
  iss: z.string().max(500).optional(),
});

export const sessionView = z.strictObject({
  username: z.string(),
  subject: z.string(),
  roles: z.array(z.string()),
});

export const propertyIdParam = z.uuid({ message: 'a property id (UUID)' });
export const readModelParam = z.enum(['search', 'analytics'], { error: 'search or analytics' });
export const aggregateIdParam = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(200, 'at most 200 characters');
export const cityParam = z.string().trim().min(1, 'must not be blank').max(100, 'at most 100 characters');
export const anyIdParam = z.string().min(1).max(200, 'at most 200 characters');
export const assetParam = z.string().regex(/^[a-z0-9-]+\.(js|css)$/, 'a file of the console bundle');

/** A query passed on unchanged: the service behind checks it (and answers 400 naming what is wrong). */
export const passedQuery = z.looseObject({});

/** An answer passed on unchanged from the service behind; its own document describes it. */
export const passedAnswer = (service: string, operation: string) =>
  z.looseObject({}).meta({ description: `The ${service} service's answer to ${operation}, unchanged.` });

const lagSample = z.strictObject({
  at: z.string(),
  lag: z
    .record(z.string(), z.number().int())
    .meta({ description: 'Lag (messages) per live consumer group.' }),
});

export const pipelineSchema = z.strictObject({
  checkedAt: z.string(),
  services: z.array(
    z.strictObject({
      name: z.string(),
      url: z.string(),
      ready: z.enum(['ready', 'unavailable', 'unreachable']),
      checks: z.record(z.string(), z.string()),
    }),
  ),
  relays: z.array(
    z.strictObject({
      connector: z.string(),
      services: z.array(z.string()),
      state: z.string(),
      tasks: z.array(
        z.strictObject({ id: z.number().int(), state: z.string(), trace: z.string().optional() }),
      ),
      slot: z.strictObject({
        name: z.string(),
        health: z.enum(['not-created', 'healthy', 'lost']),
        detail: z.string().nullable(),
        active: z.boolean().nullable(),
        lagBytes: z.number().nullable(),
        walStatus: z.string().nullable(),
      }),
      outbox: z.strictObject({
        rows: z.number().int(),
        backlog: z.number().int(),
        relayedUpTo: z.string().nullable(),
      }),
      error: z.string().nullable(),
    }),
  ),
  projections: z.array(
    z.strictObject({
      service: z.string(),
      status: z
        .looseObject({})
        .nullable()
        .meta({ description: "The read model's GET /ops/projection answer." }),
      error: z.string().nullable(),
    }),
  ),
  consumerLag: z.strictObject({ sampleMs: z.number().int(), samples: z.array(lagSample) }),
});

export const whereaboutsSchema = z.strictObject({
  propertyId: z.string(),
  version: z.number().int(),
  eventType: z.string().nullable(),
  committedAt: z.string().meta({ description: 'When the latest event was committed to the event store.' }),
  kafka: z
    .strictObject({
      topic: z.string(),
      partition: z.number().int(),
      offset: z.string(),
      timestamp: z.string(),
      relayLagMs: z.number().meta({ description: 'Kafka timestamp minus commit time.' }),
    })
    .nullable()
    .meta({ description: 'The Kafka message of that version; null while it is not on Kafka.' }),
  kafkaError: z.string().nullable(),
  readModels: z.array(
    z.strictObject({
      name: z.string(),
      version: z.number().int().nullable(),
      behindVersions: z.number().int(),
      caughtUp: z.boolean(),
      behindForMs: z
        .number()
        .meta({ description: 'How long since the commit it has been behind (0 when caught up).' }),
      error: z.string().nullable(),
    }),
  ),
  checkedAt: z.string(),
});
