import { propertyApi } from './api/property-openapi';
import type { Kysely } from 'kysely';
import { AvroEventCodec } from '../shared/codec/avro-event-codec';
import { tableSubset } from '../shared/db/table-subset';
import { CommandRunner } from '../shared/http/command-runner';
import { EventSourcedRepository } from '../shared/event-sourcing/repository';
import type { SnapshotTables } from '../shared/event-store/tables';
import { SnapshotStore } from '../shared/event-sourcing/snapshot-store';
import { PostgresEventStore, type PostgresTransaction } from '../shared/event-store/postgres-event-store';
import type { EventStoreTables } from '../shared/event-store/tables';
import { IdempotencyStore } from '../shared/http/idempotency';
import type { MessagingTables } from '../shared/messaging/messaging-tables';
import { createParticipant, type Participant } from '../shared/messaging/participant';
import { housekeeping } from '../shared/service/housekeeping';
import { inboxRetention } from '../shared/messaging/inbox-retention';
import { idempotencyRetention, outboxRetention } from '../shared/service/retention-rules';
import type { ServiceDefinition } from '../shared/service/service-definition';
import type { ServiceRuntime } from '../shared/service/service-runtime';
import { propertyRoutes } from './api/property-routes';
import type { PropertyApiDeps } from './api/property-api-deps';
import { propertyUpcasters } from './published/property-stream';
import { propertySchema, propertyStreamType, propertyTopic } from './published/topics';
import { blankProperty, type Property } from './domain/property';
import { propertySnapshots } from './domain/property-snapshot';
import type { PropertyEvent } from './published/property-events';
import { propertyCommandHandlers } from './handlers/property-command-handlers';
import { loadPropertyCommandSchemas } from './published/commands/property-messages';
import { propertyConfig, type PropertyConfig } from './property-config';
import { peopleEventStream, peopleTopic } from '../people/published';
import { consumerDeps } from '../shared/messaging/consumer-deps';
import { consumerRetryPolicy, MessageConsumer } from '../shared/messaging/message-consumer';
import { CachingKeyStore } from '../shared/privacy/caching-key-store';
import { FieldCipher } from '../shared/privacy/field-cipher';
import { KEYSTORE_SCHEMA } from '../shared/privacy/keystore-tables';
import { PostgresKeyStore } from '../shared/privacy/postgres-key-store';
import { masterKeyOf } from '../shared/privacy/privacy-config';
import type { AgentCardTables } from './agent-cards-table';
import { publicAgentCard } from './published/listing-agent-view';
import { agentCardOf, agentCardsHandler, agentCardVersion } from './handlers/agent-cards';
import { waitForAppliedVersion } from '../shared/projection/consistency-token';
import { loadPropertyEventSchemas } from './published/schemas/property-schemas';
import { FeedAgents } from './feeds/feed-agents';
import { feedTopicOf, type FeedTables } from './feeds/feed-records-table';
import { ListingFeedImporter } from './feeds/listing-feed-importer';
import { feedReport, withEverySource } from './feeds/feed-report';
import { groupSettingsOf } from '../shared/service/infrastructure';

/** The property schema: its event store, snapshots, the saga's inbox, agents' cards and feed records. */
export type PropertyTables = EventStoreTables &
  SnapshotTables &
  MessagingTables &
  AgentCardTables &
  FeedTables;

/** What tests, benchmarks and the CLIs reach inside a running property service. */
export interface PropertyInternals {
  db: Kysely<EventStoreTables>;
  codec: AvroEventCodec;
  store: PostgresEventStore<PropertyEvent>;
  repository: EventSourcedRepository<PropertyEvent, Property, PostgresTransaction>;
  /** The purchase saga's commands (reserve, release, mark sold) on `property.commands`. */
  participant: Participant;
  /** The agents' cards from `people.events`. */
  agentCards: MessageConsumer;
  /** The listing feeds' records turned into listings (listing-feed.<source>). */
  feeds: ListingFeedImporter;
  keys: CachingKeyStore;
}

/**
 * The property service: listings as event-sourced aggregates (events + outbox in one
 * transaction), its REST API, and its part of the purchase saga.
 */
export const propertyService: ServiceDefinition<PropertyConfig, PropertyInternals> = {
  name: 'property',
  summary: 'POST /properties, GET /properties/:id[/events]; saga participant on property.commands',
  api: propertyApi,
  loadConfig: propertyConfig,
  port: (config) => config.PROPERTY_PORT,

  async build(config, runtime) {
    const tables = runtime.database<PropertyTables>(propertySchema, config.PROPERTY_DB_POOL);
    const db = tableSubset<EventStoreTables>()(tables);
    const codec = new AvroEventCodec(runtime.registry, propertyTopic, await loadPropertyEventSchemas());
    void codec.preload(); // never rejects; a registry outage later does not hold up appends
    const store = new PostgresEventStore<PropertyEvent>(db, propertyStreamType, codec, propertyUpcasters);
    const repository = propertyRepository(config, runtime, tables, store);
    const participant = await createParticipant(
      runtime,
      tables,
      loadPropertyCommandSchemas,
      propertyCommandHandlers(repository, tableSubset<EventStoreTables & MessagingTables>()(tables)),
    );
    const keys = keyStore(config, runtime);
    const cipher = new FieldCipher(keys);
    const cards = tableSubset<AgentCardTables>()(tables);
    const agentCards = agentCardsConsumer(config, runtime, cards, keys);
    const feedRecords = tableSubset<FeedTables>()(tables);
    const feeds = new ListingFeedImporter(
      {
        kafka: runtime.kafka,
        repository,
        records: feedRecords,
        cards,
        agents: new FeedAgents(cards, cipher),
        logger: runtime.logger,
        onFatal: (error) => runtime.fatal(error),
      },
      {
        topics: config.LISTING_FEED_SOURCES.map(feedTopicOf),
        group: groupSettingsOf(config),
        retry: consumerRetryPolicy(config),
      },
    );
    const runner = new CommandRunner(
      repository,
      IdempotencyStore.of(db),
      runtime.metrics,
      propertyStreamType,
    );
    return {
      routes: propertyRoutes({
        runner,
        repository,
        ...agentCardsOfListings(config, cards, cipher),
        feedReports: async () => withEverySource(await feedReport(feedRecords), config.LISTING_FEED_SOURCES),
      }),
      workers: [
        participant.consumer,
        agentCards,
        ...(config.LISTING_FEED_SOURCES.length > 0 ? [feeds] : []),
        housekeeping(
          [
            outboxRetention(tables, config),
            inboxRetention(tables, config),
            idempotencyRetention(tables, config),
          ],
          config.HOUSEKEEPING_INTERVAL_MS,
          runtime.logger,
        ),
      ],
      internals: { db, codec, store, repository, participant, agentCards, feeds, keys },
    };
  },
};

/**
 * Properties from their events, from a snapshot on when PROPERTY_SNAPSHOT_EVERY is set. A
 * snapshot that cannot be read or written only costs time: the events are folded instead.
 */
function propertyRepository(
  config: PropertyConfig,
  runtime: ServiceRuntime,
  tables: Kysely<PropertyTables>,
  store: PostgresEventStore<PropertyEvent>,
): EventSourcedRepository<PropertyEvent, Property, PostgresTransaction> {
  const snapshots =
    config.PROPERTY_SNAPSHOT_EVERY > 0
      ? {
          store: new SnapshotStore(tableSubset<SnapshotTables>()(tables), propertySnapshots),
          readWithEvents: (streamId: string) =>
            store.readFromSnapshot(tableSubset<EventStoreTables & SnapshotTables>()(tables), streamId),
          every: config.PROPERTY_SNAPSHOT_EVERY,
          onRejected: (streamId: string, reason: string) =>
            runtime.logger.warn(
              { streamId, reason },
              'property snapshot ignored; folding the events instead',
            ),
          onWriteFailed: (streamId: string, error: unknown) =>
            runtime.logger.warn({ streamId, err: error }, 'property snapshot not written'),
        }
      : undefined;
  return new EventSourcedRepository<PropertyEvent, Property, PostgresTransaction>(
    store,
    blankProperty,
    snapshots,
  );
}

/**
 * The data keys that seal agents' names on their cards, cached (KEYSTORE_CACHE_TTL_MS); the
 * cards' consumer forgets an erased person's keys at once.
 */
function keyStore(config: PropertyConfig, runtime: ServiceRuntime): CachingKeyStore {
  return new CachingKeyStore(
    new PostgresKeyStore(
      runtime.database<unknown>(KEYSTORE_SCHEMA, config.KEYSTORE_DB_POOL),
      masterKeyOf(config, runtime.logger),
    ),
    { ttlMs: config.KEYSTORE_CACHE_TTL_MS, maxKeys: config.KEYSTORE_CACHE_MAX_KEYS },
  );
}

/** Keeps the property service's copy of the agents' cards from `people.events`. */
function agentCardsConsumer(
  config: PropertyConfig,
  runtime: ServiceRuntime,
  cards: Kysely<AgentCardTables>,
  keys: CachingKeyStore,
): MessageConsumer {
  return new MessageConsumer(consumerDeps(runtime, [peopleEventStream]), {
    name: 'property.agent-cards',
    groupId: 'property.agent-cards',
    topics: [peopleTopic],
    handle: agentCardsHandler(cards, keys),
    retry: consumerRetryPolicy(config),
  });
}

/** What the API reads of the agents' cards: the lister's own, a wait for a fresh one, the public view. */
function agentCardsOfListings(
  config: PropertyConfig,
  cards: Kysely<AgentCardTables>,
  cipher: FieldCipher,
): Pick<PropertyApiDeps, 'listingAgentOf' | 'awaitAgentCard' | 'agentCardView'> {
  return {
    listingAgentOf: (caller) => agentCardOf(cards, caller.subject),
    awaitAgentCard: (token) =>
      waitForAppliedVersion(
        token,
        (agentId) => agentCardVersion(cards, agentId),
        config.AGENT_CARD_WAIT_MS,
        async () => undefined,
        "the property service's copy of the agent's card",
      ),
    agentCardView: (card) => publicAgentCard(cipher, card),
  };
}
