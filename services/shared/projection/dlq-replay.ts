import { projectionTopics } from './projection';
import type { Kafka } from 'kafkajs';
import type { EventDecoder } from '../codec/event-decoder';
import type { TopicRecord } from '../kafka/offset-ranges';
import { readTopicToEnd } from '../kafka/topic-reader';
import { dlqTopicOf } from '../kafka/dead-letter';
import type { DocumentStore } from './document-store';
import { decodeEvent, header, type RelayedMessage } from '../kafka/relayed-message';
import { foldEvent, type Fact } from './fold';
import type { ParkedKeys } from './parked-keys';
import type { Projection, VersionedDocument } from './projection';
import { messageOf } from '../errors/message-of';

export interface ReplayResult {
  aggregateId: string;
  replayed: number;
  /** Why the key is still parked, if it is. */
  failed?: string;
}

export interface ParkedMessageView {
  aggregateId: string;
  dlqPartition: number;
  dlqOffset: string;
  eventType: string | undefined;
  aggregateVersion: string | undefined;
  reason: string | undefined;
  error: string | undefined;
  original: string;
}

/** The DLQ messages of one projection (optionally one aggregate), in parking order. */
export async function parkedMessages(
  kafka: Kafka,
  projection: Projection<VersionedDocument>,
  aggregateId?: string,
): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  for (const topic of projectionTopics(projection)) {
    const all = await readTopicToEnd(kafka, dlqTopicOf(topic));
    records.push(
      ...all.filter(
        (r) =>
          header(r.message, 'dlqProjection') === projection.name &&
          (aggregateId === undefined || r.message.key?.toString() === aggregateId),
      ),
    );
  }
  return records;
}

export function describeParked(record: TopicRecord): ParkedMessageView {
  const m = record.message;
  return {
    aggregateId: m.key?.toString() ?? '',
    dlqPartition: record.partition,
    dlqOffset: m.offset,
    eventType: header(m, 'eventType'),
    aggregateVersion: header(m, 'aggregateVersion'),
    reason: header(m, 'dlqReason'),
    error: header(m, 'dlqError'),
    original: `${header(m, 'dlqOriginalTopic')}/${header(m, 'dlqOriginalPartition')}@${header(m, 'dlqOriginalOffset')}`,
  };
}

/**
 * Re-drives one parked aggregate: applies its DLQ messages in order onto its documents
 * (duplicates of what was applied since are skipped), writes them, then lifts parking —
 * unless another message was parked meanwhile, in which case it goes round again.
 */
export async function replayAggregate<D extends VersionedDocument>(
  deps: { kafka: Kafka; decoder: EventDecoder; store: DocumentStore<D>; parkedKeys: ParkedKeys },
  projection: Projection<D>,
  aggregateId: string,
): Promise<ReplayResult> {
  for (let round = 0; round < 5; round += 1) {
    const parking = await deps.parkedKeys.get(aggregateId);
    if (!parking) return { aggregateId, replayed: 0 };
    const records = await parkedMessages(deps.kafka, projection, aggregateId);
    const decoded = await decodeParked(deps.decoder, records);
    if ('failed' in decoded) return { aggregateId, replayed: 0, failed: decoded.failed };
    const written = await foldAndWrite(deps.store, projection, decoded.events);
    // The live runner wrote meanwhile: go round again with fresh documents.
    if (written === 'conflict') continue;
    if (written !== 'written') return { aggregateId, replayed: 0, failed: written.failed };
    if (await deps.parkedKeys.unpark(aggregateId, parking.version))
      return { aggregateId, replayed: decoded.events.length };
  }
  return { aggregateId, replayed: 0, failed: 'messages kept being parked during the replay; try again' };
}

/** Why the replay cannot go on: the key stays parked. */
type Failed = { failed: string };

/** The parked messages as the events they were on their original topic; one still undecodable fails them all. */
async function decodeParked(
  decoder: EventDecoder,
  records: readonly TopicRecord[],
): Promise<{ events: RelayedMessage[] } | Failed> {
  const events: RelayedMessage[] = [];
  for (const record of records) {
    try {
      const original = {
        ...record.message,
        offset: header(record.message, 'dlqOriginalOffset') ?? record.message.offset,
      };
      events.push(
        await decodeEvent(
          decoder,
          header(record.message, 'dlqOriginalTopic') ?? record.topic,
          record.partition,
          original,
        ),
      );
    } catch (error) {
      return {
        failed: `message at DLQ offset ${record.message.offset} is still undecodable: ${messageOf(error)}`,
      };
    }
  }
  return { events };
}

/**
 * Applies the events onto the documents as they are now (duplicates of what was applied
 * since are skipped) and writes what changed, guarded by the versions read: 'conflict' if
 * another writer got there first.
 */
async function foldAndWrite<D extends VersionedDocument>(
  store: DocumentStore<D>,
  projection: Projection<D>,
  events: readonly RelayedMessage[],
): Promise<'written' | 'conflict' | Failed> {
  const docIds = [...new Set(events.map((e) => projection.documentId(e)))];
  const documents = await store.getMany(docIds);
  const changed = new Set<string>();
  const facts: Fact[] = [];
  for (const event of events) {
    try {
      const folded = foldEvent(projection, documents, event);
      if (folded.outcome === 'applied') changed.add(folded.docId);
      facts.push(...folded.facts);
    } catch (error) {
      return { failed: `${event.eventType} v${event.version} still fails: ${messageOf(error)}` };
    }
  }
  const outcomes = await store.write(
    new Map([...changed].map((id) => [id, documents.get(id) as D])),
    facts,
    undefined,
    documents.versions,
  );
  if (outcomes.some((o) => o.result === 'conflict')) return 'conflict';
  const refused = outcomes.find((o) => o.result === 'rejected' || o.result === 'transient');
  if (refused)
    return { failed: `document ${refused.id} refused: ${'reason' in refused ? refused.reason : ''}` };
  return 'written';
}
