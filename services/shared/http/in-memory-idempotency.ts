import { ConcurrencyError } from '../errors/concurrency-error';
import type { InMemoryTransaction } from '../event-store/in-memory-event-store';
import { replayOf, type HttpResult, type IdempotencyRecords, type IdempotentRequest } from './idempotency';

/**
 * Idempotency records beside an InMemoryEventStore: a response is kept only when the
 * append it rode with commits, as the Postgres table keeps it only when the transaction does.
 */
export class InMemoryIdempotency implements IdempotencyRecords<InMemoryTransaction> {
  private readonly records = new Map<string, { requestHash: string; result: HttpResult }>();

  async replay(request: IdempotentRequest): Promise<HttpResult | undefined> {
    const stored = this.records.get(keyOf(request));
    return stored && replayOf(request, stored);
  }

  async record(tx: InMemoryTransaction, request: IdempotentRequest, result: HttpResult): Promise<void> {
    const key = keyOf(request);
    // A racing request with the same key committed first: this one lost, like a unique violation.
    const lost = () => new ConcurrencyError(`idempotency key ${request.key}`, 0);
    if (this.records.has(key)) throw lost();
    tx.beforeCommit(() => {
      if (this.records.has(key)) throw lost();
    });
    tx.onCommit(() =>
      this.records.set(key, { requestHash: request.requestHash, result: structuredClone(result) }),
    );
  }
}

const keyOf = (request: IdempotentRequest) => `${request.scope}\n${request.key}`;
