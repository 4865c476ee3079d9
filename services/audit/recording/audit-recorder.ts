import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Kysely } from 'kysely';
import { isTransient } from '../../shared/errors/transient';
import { ConsumerSession, type SessionClients } from '../../shared/kafka/consumer-session';
import { sendToDeadLetter, type ParkedMessage } from '../../shared/kafka/dead-letter';
import type { GroupSettings } from '../../shared/kafka/group-consumer';
import type { GroupMembership } from '../../shared/kafka/group-membership';
import { retryTransient, type RetryPolicy } from '../../shared/kafka/retry-transient';
import type { Logger } from '../../shared/observability/logger';
import type { Worker } from '../../shared/service/worker';
import type { AuditTables } from '../audit-tables';
import { auditRowOf, UnauditableMessageError, type AuditRow } from './audit-entry';

const INSERT_CHUNK = 1_000;

export interface AuditRecorderDeps {
  kafka: Kafka;
  db: Kysely<AuditTables>;
  logger: Logger;
  onFatal?: (error: Error) => void;
}

export interface AuditRecorderOptions {
  groupId: string;
  topics: readonly string[];
  group: GroupSettings;
  retry: RetryPolicy;
  partitionsConcurrently: number;
}

/**
 * Records every message of the audited topics in the audit trail, a batch per insert. The
 * insert ignores a message id it already has, so a redelivery adds nothing, and offsets are
 * committed only after it: nothing consumed is unrecorded. The database being down blocks
 * (in order) until it is back; a message without the relay's headers can never be recorded
 * and goes to its topic's DLQ, so it is not lost and the partition moves on.
 */
export class AuditRecorder implements Worker {
  readonly name = 'audit recorder';
  private readonly session: ConsumerSession;

  constructor(
    private readonly deps: AuditRecorderDeps,
    private readonly options: AuditRecorderOptions,
  ) {
    this.session = new ConsumerSession(deps, {
      name: this.name,
      groupId: options.groupId,
      topics: [...options.topics],
      group: options.group,
      run: (clients) => ({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently,
        eachBatch: (payload) => this.onBatch(payload, clients),
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

  private async onBatch(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
    { producer, commits }: SessionClients,
  ): Promise<void> {
    const { topic, partition, messages } = batch;
    const last = messages.at(-1);
    if (!last || !isRunning() || isStale()) return;
    const rows: AuditRow[] = [];
    const unauditable: ParkedMessage[] = [];
    for (const message of messages) {
      const row = rowOrParked(topic, partition, message);
      if ('message_id' in row) rows.push(row);
      else unauditable.push(row);
    }
    await retryTransient(
      async () => {
        // In chunks: a statement carries at most 65,535 parameters (14 a row).
        for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
          await this.deps.db
            .insertInto('entries')
            .values(rows.slice(start, start + INSERT_CHUNK))
            .onConflict((oc) => oc.column('message_id').doNothing())
            .execute();
        }
        await sendToDeadLetter(producer, 'audit', unauditable);
      },
      this.options.retry,
      {
        isRunning,
        heartbeat,
        onRetry: (error, attempt, delayMs) =>
          this.deps.logger.warn(
            { err: error, attempt, delayMs, topic, partition },
            'audit: transient failure, retrying',
          ),
      },
    );
    for (const parked of unauditable) {
      this.deps.logger.error(
        { topic, partition, offset: parked.message.offset, reason: parked.error },
        'audit: message sent to the DLQ',
      );
    }
    resolveOffset(last.offset);
    await commits.mark(topic, partition, (BigInt(last.offset) + 1n).toString());
    await heartbeat();
  }
}

/** The row of a message, or the message parked with why it cannot have one. */
function rowOrParked(topic: string, partition: number, message: KafkaMessage): AuditRow | ParkedMessage {
  try {
    return auditRowOf(topic, partition, message);
  } catch (error) {
    if (!(error instanceof UnauditableMessageError) || isTransient(error)) throw error;
    return { topic, partition, message, reason: 'undecodable', error: error.message };
  }
}
