import type { EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Kysely } from 'kysely';
import type { CommandContext } from '../../shared/domain/command-context';
import { ConcurrencyError } from '../../shared/errors/concurrency-error';
import { DomainError } from '../../shared/errors/domain-error';
import { messageOf } from '../../shared/errors/message-of';
import { isTransient } from '../../shared/errors/transient';
import type { EventSourcedRepository } from '../../shared/event-sourcing/repository';
import type { PostgresTransaction } from '../../shared/event-store/postgres-event-store';
import { ConsumerSession, type SessionClients } from '../../shared/kafka/consumer-session';
import { sendToDeadLetter, type ParkReason } from '../../shared/kafka/dead-letter';
import type { GroupSettings } from '../../shared/kafka/group-consumer';
import type { GroupMembership } from '../../shared/kafka/group-membership';
import { retryTransient, type RetryPolicy } from '../../shared/kafka/retry-transient';
import type { Logger } from '../../shared/observability/logger';
import type { Worker } from '../../shared/service/worker';
import { listedProperty, propertyView, type Property } from '../domain/property';
import type { PropertyEvent } from '../published/property-events';
import { agentCardOf } from '../handlers/agent-cards';
import type { AgentCardTables } from '../agent-cards-table';
import type { FeedAgents } from './feed-agents';
import { feedCommands, type FeedOutcome } from './feed-changes';
import { feedPropertyId } from './feed-property-id';
import { feedSourceOf, type FeedTables } from './feed-records-table';
import { FeedRecordError, feedListingOf, type FeedListing } from './reso-listing';

type Repository = EventSourcedRepository<PropertyEvent, Property, PostgresTransaction>;

export interface ListingFeedImporterDeps {
  kafka: Kafka;
  repository: Repository;
  /** The property schema seen as its feed records, and as the agents' cards. */
  records: Kysely<FeedTables>;
  cards: Kysely<AgentCardTables>;
  agents: FeedAgents;
  logger: Logger;
  onFatal?: (error: Error) => void;
}

export interface ListingFeedImporterOptions {
  topics: readonly string[];
  group: GroupSettings;
  retry: RetryPolicy;
}

interface Done {
  outcome: FeedOutcome;
  listingKey: string | null;
  modifiedAt: string | null;
  propertyId: string | null;
  reason: string | null;
}

/**
 * Turns each record of the listing feeds into property commands, as the listing agent the
 * record names: a new ListingKey is listed, a known one brought to what the record says
 * (price, details, withdrawn or back on the market), an unchanged one left alone. A record
 * that cannot be imported (a bad field, an agent the platform does not know) goes to the
 * feed's DLQ with its reason. Each outcome is recorded with the events it caused, in one
 * transaction, by the record's place on its topic, so a redelivery repeats nothing.
 */
export class ListingFeedImporter implements Worker {
  readonly name = 'listing feed importer';
  private readonly session: ConsumerSession;

  constructor(
    private readonly deps: ListingFeedImporterDeps,
    private readonly options: ListingFeedImporterOptions,
  ) {
    this.session = new ConsumerSession(deps, {
      name: this.name,
      groupId: 'property.listing-feeds',
      topics: [...options.topics],
      group: options.group,
      run: (clients) => ({
        autoCommit: false,
        // One partition per feed: a listing's updates follow its listing in file order.
        partitionsConsumedConcurrently: 1,
        eachMessage: (payload) => this.onMessage(payload, clients),
      }),
    });
  }

  get membership(): GroupMembership {
    return this.session.membership;
  }

  notReadyReason(): string | undefined {
    return this.membership.notReadyReason;
  }

  start(): Promise<void> {
    return this.session.start();
  }

  stop(): Promise<void> {
    return this.session.stop();
  }

  private async onMessage(
    { topic, partition, message, heartbeat }: EachMessagePayload,
    { producer, commits }: SessionClients,
  ): Promise<void> {
    const source = feedSourceOf(topic);
    await retryTransient(
      async () => {
        if (await this.alreadyDone(source, partition, message)) return;
        let done: Done;
        let reason: ParkReason = 'invalid-record';
        try {
          done = await this.importRecord(source, partition, message);
        } catch (error) {
          // A failure that retrying cannot cure (a bug, a value the database refuses) parks the
          // record like an invalid one, so the feed moves on and the service stays ready.
          if (isTransient(error)) throw error;
          done = rejected(null, `could not be imported: ${messageOf(error)}`);
          reason = 'handler-error';
        }
        if (done.outcome === 'rejected') {
          // Sent before it is recorded: a crash in between parks it twice, never not at all.
          await sendToDeadLetter(producer, 'listing-feed-importer', [
            { topic, partition, message, reason, error: done.reason ?? 'rejected' },
          ]);
          await this.insertRecord(this.deps.records, source, partition, message, done);
          this.deps.logger.warn(
            { topic, offset: message.offset, reason: done.reason },
            'feed record rejected',
          );
        }
      },
      this.options.retry,
      {
        isRunning: () => this.session.active,
        heartbeat,
        onRetry: (error, attempt, delayMs) =>
          this.deps.logger.warn(
            { err: error, attempt, delayMs, topic, partition },
            'feed import: transient failure, retrying',
          ),
      },
    );
    await commits.mark(topic, partition, (BigInt(message.offset) + 1n).toString());
  }

  private async alreadyDone(source: string, partition: number, message: KafkaMessage): Promise<boolean> {
    const row = await this.deps.records
      .selectFrom('feed_records')
      .select('outcome')
      .where('source', '=', source)
      .where('kafka_partition', '=', partition)
      .where('kafka_offset', '=', message.offset)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Imports one record; a rejection is returned for the caller to park, anything else is recorded here. */
  private async importRecord(source: string, partition: number, message: KafkaMessage): Promise<Done> {
    let listing: FeedListing;
    try {
      listing = feedListingOf(message.value?.toString('utf8') ?? '');
    } catch (error) {
      if (error instanceof FeedRecordError) return rejected(null, error.reason);
      throw error;
    }
    const applied = await this.lastApplied(source, listing.listingKey);
    if (applied && applied >= new Date(listing.modifiedAt)) {
      // An older record (a file dropped again, a line the connector re-sent) never rolls a listing back.
      const done: Done = {
        outcome: 'unchanged',
        listingKey: listing.listingKey,
        modifiedAt: listing.modifiedAt,
        propertyId: feedPropertyId(source, listing.listingKey),
        reason: `not newer than the record applied (${applied.toISOString()})`,
      };
      await this.insertRecord(this.deps.records, source, partition, message, done);
      return done;
    }
    const agentId = await this.deps.agents.agentWithEmail(listing.agentEmail);
    if (!agentId) {
      // The address itself stays out of the reason (logged, reported, kept): it may be an erased agent's.
      return rejected(
        listing,
        'ListAgentEmail: no agent on the platform has this email (a People profile with an agency)',
      );
    }
    const id = feedPropertyId(source, listing.listingKey);
    const context: CommandContext = {
      correlationId: `listing-feed:${source}:${partition}:${message.offset}`,
      causationId: null,
      traceparent: null,
      actor: agentId,
    };
    try {
      const property = await this.deps.repository.load(id);
      return property
        ? await this.update(property, listing, context, source, partition, message)
        : await this.list(id, listing, agentId, context, source, partition, message);
    } catch (error) {
      if (error instanceof FeedRecordError) return rejected(listing, error.reason);
      // A rule of the listing refused it (e.g. a description too long): the record, not the system.
      // (A ConcurrencyError is transient: the record is tried again against what was written.)
      if (error instanceof DomainError) return rejected(listing, error.message);
      throw error;
    }
  }

  private async list(
    id: string,
    listing: FeedListing,
    agentId: string,
    context: CommandContext,
    source: string,
    partition: number,
    message: KafkaMessage,
  ): Promise<Done> {
    if (!listing.status.onMarket) {
      throw new FeedRecordError(`StandardStatus: ${listing.status.resoStatus} for a listing never imported`);
    }
    const property = listedProperty(
      id,
      {
        address: listing.address,
        price: listing.price,
        bedrooms: listing.bedrooms,
        bathrooms: listing.bathrooms,
        areaSqm: listing.areaSqm,
        propertyType: listing.propertyType,
        description: listing.description,
        ownerId: agentId,
        listingAgent: await agentCardOf(this.deps.cards, agentId),
      },
      new Date(),
    );
    const done: Done = {
      outcome: 'imported',
      listingKey: listing.listingKey,
      modifiedAt: listing.modifiedAt,
      propertyId: id,
      reason: null,
    };
    await this.deps.repository.save(property, 0, context, (trx) =>
      this.recordOnce(asFeedTables(trx), source, partition, message, done, property),
    );
    return done;
  }

  private async update(
    property: Property,
    listing: FeedListing,
    context: CommandContext,
    source: string,
    partition: number,
    message: KafkaMessage,
  ): Promise<Done> {
    const view = propertyView(property);
    if (view.ownerId !== context.actor) {
      throw new FeedRecordError('ListAgentEmail: the listing belongs to another agent on the platform');
    }
    const commands = feedCommands(view, listing);
    const done: Done = {
      outcome: commands.length === 0 ? 'unchanged' : 'updated',
      listingKey: listing.listingKey,
      modifiedAt: listing.modifiedAt,
      propertyId: property.id,
      reason: null,
    };
    if (commands.length === 0) {
      await this.insertRecord(this.deps.records, source, partition, message, done);
      return done;
    }
    const version = property.version;
    for (const command of commands) property.execute(command);
    await this.deps.repository.save(property, version, context, (trx) =>
      this.recordOnce(asFeedTables(trx), source, partition, message, done, property, version),
    );
    return done;
  }

  /**
   * Records the outcome with the events it caused. The record already there means another
   * consumer (the partition's owner before a rebalance) got to it first: the whole
   * transaction is rolled back as a conflict, and the retry finds the record done.
   */
  private async recordOnce(
    db: Kysely<FeedTables>,
    source: string,
    partition: number,
    message: KafkaMessage,
    done: Done,
    property: Property,
    expectedVersion = 0,
  ): Promise<void> {
    const inserted = await this.insertRecord(db, source, partition, message, done);
    if (!inserted) throw new ConcurrencyError(property.id, expectedVersion);
  }

  /** Whether this call inserted the record (false: it was there already). */
  private async insertRecord(
    db: Kysely<FeedTables>,
    source: string,
    partition: number,
    message: KafkaMessage,
    done: Done,
  ): Promise<boolean> {
    const inserted = await db
      .insertInto('feed_records')
      .values({
        source,
        kafka_partition: partition,
        kafka_offset: message.offset,
        listing_key: done.listingKey,
        property_id: done.propertyId,
        outcome: done.outcome,
        reason: done.reason,
        modified_at: done.modifiedAt,
      })
      .onConflict((oc) => oc.columns(['source', 'kafka_partition', 'kafka_offset']).doNothing())
      .returning('kafka_offset')
      .execute();
    return inserted.length > 0;
  }

  /** When the newest record applied to this listing was modified, if any was. */
  private async lastApplied(source: string, listingKey: string): Promise<Date | undefined> {
    const row = await this.deps.records
      .selectFrom('feed_records')
      .select((eb) => eb.fn.max('modified_at').as('latest'))
      .where('source', '=', source)
      .where('listing_key', '=', listingKey)
      .where('outcome', '!=', 'rejected')
      .executeTakeFirst();
    return row?.latest ?? undefined;
  }
}

/** A rejection, with the listing's key and time when the record got as far as being read. */
function rejected(listing: Pick<FeedListing, 'listingKey' | 'modifiedAt'> | null, reason: string): Done {
  return {
    outcome: 'rejected',
    listingKey: listing?.listingKey ?? null,
    modifiedAt: listing?.modifiedAt ?? null,
    propertyId: null,
    reason,
  };
}

/** The event store's transaction over the same schema, where feed_records is too. */
const asFeedTables = (trx: PostgresTransaction) => trx as unknown as Kysely<FeedTables>;
