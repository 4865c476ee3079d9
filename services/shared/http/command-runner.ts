import { isUniqueViolation } from '../db/postgres-errors';
import { ConcurrencyError } from '../errors/concurrency-error';
import type { CommandContext } from '../domain/command-context';
import { HttpProblem } from './problem';
import type { HttpResult, IdempotencyRecords, IdempotentRequest } from './idempotency';
import type { ServiceMetrics } from '../observability/metrics';
import type { EventSourced } from '../event-sourcing/aggregate';
import type { DomainEvent } from '../domain/domain-event';
import type { EventSourcedRepository } from '../event-sourcing/repository';

export interface CommandRequest<A> {
  /** Loads the target; undefined → 404. Omit for commands that create an aggregate. */
  load?: () => Promise<A | undefined>;
  /** For creation: the new aggregate with its first events raised. */
  create?: () => A;
  /** Name of the target for a 404 message ("property 123"). */
  describe: string;
  /** If-Match: the version the client last saw; a mismatch is a 412. */
  expectedVersion?: number;
  context: CommandContext;
  idempotency?: IdempotentRequest;
  /** Runs the domain command (throws DomainError to refuse) and returns the response. */
  execute: (aggregate: A) => HttpResult;
}

/** What an API needs to run its commands, whichever store is behind it. */
export interface RunsCommands<A> {
  run(request: CommandRequest<A>): Promise<HttpResult>;
}

/**
 * The one path every HTTP command takes: replay a known idempotency key, load, check
 * If-Match, run the domain command, then save events + outbox + idempotency record in
 * one transaction. A lost race on the same idempotency key replays the winner's answer.
 */
export class CommandRunner<E extends DomainEvent, A extends EventSourced<E>, Tx> implements RunsCommands<A> {
  constructor(
    private readonly repository: EventSourcedRepository<E, A, Tx>,
    private readonly idempotency: IdempotencyRecords<Tx>,
    private readonly metrics: ServiceMetrics,
    private readonly streamType: string,
  ) {}

  async run(request: CommandRequest<A>): Promise<HttpResult> {
    if (request.idempotency) {
      const replayed = await this.idempotency.replay(request.idempotency);
      if (replayed) return replayed;
    }
    const aggregate = request.create ? request.create() : await request.load?.();
    if (!aggregate) throw HttpProblem.notFound(request.describe);
    if (
      !request.create &&
      request.expectedVersion !== undefined &&
      request.expectedVersion !== aggregate.version
    ) {
      throw new HttpProblem(
        412,
        'Precondition failed',
        `${request.describe} is at version ${aggregate.version}, not ${request.expectedVersion} (If-Match); reload it and retry`,
        { currentVersion: aggregate.version },
      );
    }
    const result = request.execute(aggregate);
    const events = [...aggregate.uncommittedEvents];
    const idempotency = request.idempotency;
    try {
      await this.repository.save(
        aggregate,
        aggregate.persistedVersion,
        request.context,
        idempotency ? (trx) => this.idempotency.record(trx, idempotency, result) : undefined,
      );
    } catch (error) {
      const lostRace = error instanceof ConcurrencyError || isUniqueViolation(error);
      if (lostRace && idempotency) {
        const replayed = await this.idempotency.replay(idempotency);
        if (replayed) return replayed;
      }
      if (error instanceof ConcurrencyError)
        this.metrics.concurrencyConflicts.inc({ stream_type: this.streamType });
      throw error;
    }
    for (const event of events)
      this.metrics.eventsAppended.inc({ stream_type: this.streamType, event_type: event.type });
    return result;
  }
}
