import { projectionTopics } from './projection';
import type { Client } from '@elastic/elasticsearch';
import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { EventDecoder } from '../codec/event-decoder';
import type { Logger } from '../observability/logger';
import { ConsumerSession } from '../kafka/consumer-session';
import { sendToDeadLetter, type ParkedMessage, type ParkReason } from '../kafka/dead-letter';
import type { DeferredCommits } from '../kafka/deferred-commits';
import { defaultGroupSettings, type GroupSettings } from '../kafka/group-consumer';
import type { GroupMembership } from '../kafka/group-membership';
import type { Worker } from '../service/worker';
import {
  DocumentStore,
  singleNodeLayout,
  type IndexLayout,
  type LoadedDocuments,
  type RefreshIntervals,
} from './document-store';
import { decodeEvent } from '../kafka/relayed-message';
import { foldEvent, type Fact } from './fold';
import { FlushTrace } from './flush-trace';
import { ParkedKeys } from './parked-keys';
import { BatchCoalescer } from './batch-coalescer';
import type { ProjectedEvent, Projection, VersionedDocument } from './projection';
import type { ProjectionMetrics } from './projection-metrics';
import { retryTransient } from '../kafka/retry-transient';
import { defaultStuckWarnMs, stuckPartitionHooks } from '../kafka/stuck-partitions';
import { isTransient, TransientError } from '../errors/transient';
import { messageOf } from '../errors/message-of';

export interface RunnerOptions {
  /** Messages applied and written per Elasticsearch bulk request. */
  batchSize: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** How long transient retries may block a partition before it is reported stuck (default 30 s). */
  stuckWarnMs?: number;
  /**
   * The next fetch waits until this long after the last one: messages arriving meanwhile are
   * written together (one Elasticsearch round trip each for parking, documents and the bulk
   * write, whatever the batch holds), while the first message after a quiet spell is taken
   * at once. 0: fetch again as soon as a batch is written.
   */
  batchIntervalMs: number;
  /** Partitions whose batches are processed at once (kafkajs `partitionsConsumedConcurrently`). */
  partitionsConcurrently: number;
  /** The live indices' `refresh_interval`s: how soon a write becomes searchable. */
  refresh: RefreshIntervals;
  /** Shards and replicas of the indices the runner makes (default: one shard, no replica). */
  layout?: IndexLayout;
  /** Another consumer group than `projection.<name>`: a second reader of the same topics (a replay). */
  groupId?: string;
  /** Write to these physical indices instead of through the alias (a rebuild). */
  target?: { index: string; factsIndex?: string };
  /** Session timeout and fetch wait of the consumer group. */
  group?: GroupSettings;
}

export const defaultRunnerOptions: RunnerOptions = {
  batchSize: 500,
  retryInitialMs: 100,
  retryMaxMs: 15_000,
  stuckWarnMs: defaultStuckWarnMs,
  batchIntervalMs: 50,
  partitionsConcurrently: 12,
  refresh: { documents: '250ms', facts: '1s' },
};

export interface RunnerDeps {
  kafka: Kafka;
  es: Client;
  /** Decodes with the writer's schema and upcasts (built from the projection's streams). */
  decoder: EventDecoder;
  logger: Logger;
  metrics: ProjectionMetrics;
  /** Called when kafkajs gives up on the consumer for good: the process should exit and be restarted. */
  onFatal?: (error: Error) => void;
}

/** One partition's slice of messages, applied together with other partitions' slices. */
export interface PartitionChunk {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

type Item = {
  topic: string;
  partition: number;
  message: KafkaMessage;
  event?: ProjectedEvent;
  failure?: { reason: ParkReason; error: string };
};

/** The aggregate a message belongs to: its event's, or the key it was sent with. */
const keyOf = (item: Item) => item.event?.aggregateId ?? item.message.key?.toString() ?? '';

/** One batch on its way through the runner: what it read, what it changed, what it parks. */
class Batch<D> {
  readonly changed = new Map<string, D>();
  readonly facts: Fact[] = [];
  readonly toPark = new Map<string, ParkedMessage[]>();
  /** Facts of this batch whose events were parked after the write refused their document. */
  readonly unwrittenFacts = new Set<string>();
  /** Per document, the aggregates whose events of this batch went into it. */
  private readonly contributors = new Map<string, Set<string>>();
  /** Per aggregate, the facts its events of this batch added. */
  private readonly factsOf = new Map<string, Fact[]>();

  constructor(
    readonly items: Item[],
    readonly flush: FlushTrace,
    /** Aggregates parked before this batch: everything of theirs waits for a replay. */
    private readonly parkedBefore: Set<string>,
    readonly documents: LoadedDocuments<D>,
    /** A rebuild's reader: aggregates the live runner has parked (it parks their messages itself). */
    readonly parkedLive: ReadonlySet<string> = new Set(),
  ) {}

  isParked(key: string): boolean {
    return this.parkedBefore.has(key) || this.toPark.has(key);
  }

  park(item: Item, reason: ParkReason, error: string): void {
    this.flush.note(item.message, 'parked', reason);
    const key = keyOf(item);
    const parked = { topic: item.topic, partition: item.partition, message: item.message, reason, error };
    this.toPark.set(key, [...(this.toPark.get(key) ?? []), parked]);
  }

  /** An event of `key` was folded into document `docId`, adding `facts`. */
  applied(key: string, docId: string, facts: readonly Fact[]): void {
    this.changed.set(docId, this.documents.get(docId) as D);
    this.facts.push(...facts);
    this.factsOf.set(key, [...(this.factsOf.get(key) ?? []), ...facts]);
    this.contributors.set(docId, (this.contributors.get(docId) ?? new Set()).add(key));
  }

  /** Document `docId` was refused: every event of this batch that went into it is parked. */
  parkContributors(docId: string, reason: string): void {
    for (const key of this.contributors.get(docId) ?? []) {
      for (const fact of this.factsOf.get(key) ?? []) this.unwrittenFacts.add(fact.id);
      const alreadyParked = (item: Item) => this.toPark.get(key)?.some((p) => p.message === item.message);
      for (const item of this.items.filter((i) => keyOf(i) === key && !alreadyParked(i))) {
        this.park(item, 'rejected-document', reason);
      }
    }
  }
}

/**
 * Runs one projection as a Kafka consumer group. Per batch: decode, fold events into the
 * documents they touch, write them with one bulk request, then commit the offsets. A
 * transient failure retries the batch (writes are version-guarded, so retries are
 * harmless); a message that can never be applied is parked in the DLQ, and so is every
 * later message of the same aggregate until it is replayed.
 */
export class ProjectionRunner<D extends VersionedDocument> implements Worker {
  readonly store: DocumentStore<D>;
  readonly parkedKeys: ParkedKeys;
  private readonly session: ConsumerSession;
  private readonly lag = new Map<string, number>();
  private readonly coalescer = new BatchCoalescer<PartitionChunk>((chunks) => this.processChunks(chunks), 5);
  /**
   * A rebuild's reader (`options.target`) keeps parking in memory: the aggregates it stopped
   * folding at a message it could not apply, and among them those it parked in the DLQ itself.
   */
  private readonly halted = new Set<string>();
  private readonly parkedHere = new Set<string>();

  constructor(
    private readonly deps: RunnerDeps,
    readonly projection: Projection<D>,
    private readonly options: RunnerOptions = defaultRunnerOptions,
  ) {
    const layout = options.layout ?? singleNodeLayout;
    this.store = new DocumentStore(deps.es, projection, layout);
    this.parkedKeys = new ParkedKeys(deps.es, projection.name, layout.replicas);
    this.session = new ConsumerSession(deps, {
      name: this.name,
      groupId: this.groupId,
      topics: projectionTopics(projection),
      group: options.group ?? defaultGroupSettings,
      run: ({ commits }) => ({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently,
        eachBatch: (payload) => this.onBatch(payload, commits),
      }),
    });
  }

  get membership(): GroupMembership {
    return this.session.membership;
  }

  get name(): string {
    return `projector ${this.projection.name}`;
  }

  get groupId(): string {
    return this.options.groupId ?? `projection.${this.projection.name}`;
  }

  /** Messages behind the partition ends, summed, as of the last batch of each partition. */
  get totalLag(): number {
    return [...this.lag.values()].reduce((sum, n) => sum + n, 0);
  }

  async start(): Promise<void> {
    // Schema ids learnt now keep a later registry outage from holding up decoding.
    void this.deps.decoder.preload();
    await this.parkedKeys.ensureIndex();
    if (!this.options.target) await this.store.ensureIndex(this.options.refresh);
    await this.session.start();
  }

  /** Finishes the batch in hand, commits it and leaves the group. */
  async stop(): Promise<void> {
    await this.session.stop();
  }

  /** Why this projector is not consuming (for /health/ready), or undefined while it is a group member. */
  notReadyReason(): string | undefined {
    return this.membership.notReadyReason;
  }

  private async onBatch(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
    commits: DeferredCommits,
  ): Promise<void> {
    const { topic, partition } = batch;
    const fetchedAt = Date.now();
    for (let start = 0; start < batch.messages.length; start += this.options.batchSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + this.options.batchSize);
      const stop = this.deps.metrics.batchSeconds.startTimer({ projection: this.projection.name });
      await retryTransient(
        () => this.coalescer.submit({ topic, partition, messages: chunk }),
        {
          initialMs: this.options.retryInitialMs,
          maxMs: this.options.retryMaxMs,
          stuckAfterMs: this.options.stuckWarnMs ?? defaultStuckWarnMs,
        },
        {
          isRunning,
          heartbeat,
          onRetry: (error, attempt, delayMs) => {
            this.deps.metrics.retries.inc({ projection: this.projection.name });
            this.deps.logger.warn(
              { err: error, attempt, delayMs, topic, partition },
              `${this.projection.name}: transient failure, retrying`,
            );
          },
          // The group id names the consumer: a rebuild's runner is another one than the live runner.
          ...stuckPartitionHooks(this.deps.metrics.stuckPartitions, this.deps.logger, {
            consumer: this.groupId,
            topic,
            partition,
          }),
        },
      );
      stop();
      this.deps.metrics.batchSize.observe({ projection: this.projection.name }, chunk.length);
      const last = chunk[chunk.length - 1] as KafkaMessage;
      resolveOffset(last.offset);
      // Offsets are committed only once the batch's writes (and any parking) are acknowledged.
      await commits.mark(topic, partition, (BigInt(last.offset) + 1n).toString());
      const behind = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
      this.lag.set(`${topic}/${partition}`, behind);
      this.deps.metrics.lag.set(
        { projection: this.projection.name, topic, partition: String(partition) },
        behind,
      );
      await heartbeat();
    }
    // Holds the next fetch back (see batchIntervalMs); every partition of this fetch waits alike.
    const rest = this.options.batchIntervalMs - (Date.now() - fetchedAt);
    if (rest > 0 && isRunning() && !isStale()) await new Promise((resolve) => setTimeout(resolve, rest));
  }

  /**
   * Decodes, folds and writes the chunks of one or more partitions with one parking
   * lookup, one document read and one bulk write; parks what can never be applied.
   * Chunks of different partitions never share an aggregate (the key picks the partition).
   * Each message's work is traced in the trace of the command that caused it (flush-trace.ts).
   */
  async processChunks(chunks: PartitionChunk[]): Promise<void> {
    const flush = FlushTrace.begin(this.projection.name, chunks);
    try {
      await this.applyChunks(chunks, flush);
      flush.end();
    } catch (error) {
      flush.end(error);
      throw error;
    }
  }

  private async applyChunks(chunks: PartitionChunk[], flush: FlushTrace): Promise<void> {
    const items = await this.decodeChunks(chunks);
    const batch = await this.loadBatch(items, flush);
    this.foldBatch(batch);
    await this.writeBatch(batch);
    await this.parkBatch(batch);
  }

  /** Each message decoded, or marked undecodable (a registry that is down is transient: retried). */
  private async decodeChunks(chunks: PartitionChunk[]): Promise<Item[]> {
    const items: Item[] = [];
    for (const { topic, partition, messages } of chunks) {
      for (const message of messages) {
        try {
          const event = await decodeEvent(this.deps.decoder, topic, partition, message);
          items.push({ topic, partition, message, event });
        } catch (error) {
          if (isTransient(error)) throw error;
          const failure = { reason: 'undecodable' as const, error: messageOf(error) };
          items.push({ topic, partition, message, failure });
        }
      }
    }
    return items;
  }

  /**
   * The parking of every key and every document the items touch, in one request: at moderate
   * rates a batch holds a message or two, and Elasticsearch's cost is per request more than
   * per document.
   */
  private async loadBatch(items: Item[], flush: FlushTrace): Promise<Batch<D>> {
    const docIds = [...new Set(items.flatMap((i) => (i.event ? [this.projection.documentId(i.event)] : [])))];
    const parking = this.parkedKeys.lookups([...new Set(items.map(keyOf))]);
    const reads = [...parking, ...this.store.lookups(docIds, this.options.target?.index)];
    const answers = reads.length > 0 ? (await this.deps.es.mget({ docs: reads, realtime: true })).docs : [];
    const parked = this.parkedKeys.parkedFrom(answers.slice(0, parking.length));
    const documents = this.store.loadedFrom(answers.slice(parking.length));
    if (!this.options.target) return new Batch(items, flush, parked, documents);
    // A rebuild folds a key the live runner parked as the live fold did: up to the message that
    // could not be applied, which (with all later ones) the live runner has parked already.
    const parkedLive = new Set([...parked].filter((key) => !this.parkedHere.has(key)));
    return new Batch(items, flush, this.halted, documents, parkedLive);
  }

  /** Folds each item into its document, in order; parks what cannot be applied, and what follows it. */
  private foldBatch(batch: Batch<D>): void {
    for (const item of batch.items) {
      const key = keyOf(item);
      if (batch.isParked(key)) {
        batch.park(item, 'parked-behind', `an earlier message of ${key} is parked; replay it first`);
        continue;
      }
      if (item.failure || !item.event) {
        batch.park(item, item.failure?.reason ?? 'undecodable', item.failure?.error ?? 'undecodable');
        continue;
      }
      const event = item.event;
      let folded: ReturnType<typeof foldEvent<D>>;
      try {
        folded = foldEvent(this.projection, batch.documents, event);
      } catch (error) {
        batch.park(item, 'handler-error', `${event.eventType} v${event.version}: ${messageOf(error)}`);
        continue;
      }
      const outcome = folded.outcome === 'duplicate' ? 'duplicate' : 'applied';
      this.deps.metrics.events.inc({ projection: this.projection.name, outcome });
      batch.flush.note(item.message, folded.outcome);
      if (folded.outcome === 'applied') batch.applied(key, folded.docId, folded.facts);
    }
  }

  /**
   * One bulk write of the changed documents and new facts. A transient failure or a document
   * another writer changed meanwhile retries the whole batch (re-read, fold again); a refused
   * document parks every event of the batch that went into it.
   */
  private async writeBatch(batch: Batch<D>): Promise<void> {
    const outcomes = await batch.flush.bulkWrite(batch.changed.size + batch.facts.length, () =>
      this.store.write(batch.changed, batch.facts, this.options.target, batch.documents.versions),
    );
    const transient = outcomes.find((o) => o.result === 'transient');
    if (transient && transient.result === 'transient')
      throw new TransientError(`bulk write of ${transient.id}: ${transient.reason}`);
    const conflict = outcomes.find((o) => o.result === 'conflict');
    if (conflict) throw new TransientError(`document ${conflict.id} changed while this batch was applied`);
    for (const outcome of outcomes) {
      if (outcome.result === 'rejected') batch.parkContributors(outcome.id, outcome.reason);
    }
    // Facts are create-only: those of events parked now would stand forever. A failure here
    // retries the batch, which parks them again and deletes their facts again.
    await this.store.deleteFacts([...batch.unwrittenFacts], this.options.target?.factsIndex);
  }

  /** Sends what the batch parked to the DLQ, in offset order, and marks each key parked. */
  private async parkBatch(batch: Batch<D>): Promise<void> {
    const name = this.projection.name;
    for (const [key, parked] of batch.toPark) {
      // A rebuild leaves what the live runner parked to it: the DLQ holds those messages already.
      if (this.options.target && batch.parkedLive.has(key)) {
        this.halted.add(key);
        continue;
      }
      parked.sort((a, b) => Number(BigInt(a.message.offset) - BigInt(b.message.offset)));
      const producer = this.session.current?.producer;
      if (!producer) throw new TransientError(`${name} is not running: no DLQ producer`);
      await sendToDeadLetter(producer, name, parked);
      await this.parkedKeys.park(key, parked[0]?.error ?? '', parked.length);
      if (this.options.target) {
        this.halted.add(key);
        this.parkedHere.add(key);
      }
      this.deps.metrics.parked.inc({ projection: name }, parked.length);
      this.deps.metrics.events.inc({ projection: name, outcome: 'parked' }, parked.length);
      this.deps.logger.warn(
        { aggregateId: key, parked: parked.length, reason: parked[0]?.reason, error: parked[0]?.error },
        `${name}: parked in the DLQ`,
      );
    }
  }
}
