import type { Property } from '../../services/property/domain/property';
import { moneyFromMinor } from '../../services/shared/domain/money';
import { now } from '../support/measure';
import { benchSaveContext, type PropertyRepository } from '../support/property-saves';
import { sampleListing } from '../support/sample-listing';

/** One saved event: its id, when its save started and returned, and how long the save took. */
export interface Commit {
  eventId: string;
  /** Before the Avro encoding and the INSERT: an arrival can never precede it. */
  startedAt: number;
  /** When this process saw the INSERT return. Its event loop may see that late, so Debezium can be earlier. */
  committedAt: number;
  saveMs: number;
}

/** Share of new listings; the rest are price changes of properties listed earlier in the run. */
const LISTING_SHARE = 0.2;

/**
 * Writes one event per call: a new PropertyListed, or a PriceChanged of a property this run
 * listed. Aggregates stay in memory with their version (this run is their only writer), so
 * no save reads the stream first and none loses a concurrency race: an aggregate being saved
 * is out of the idle pool until its save returns.
 */
export class PropertyEventWriter {
  private readonly idle: Property[] = [];
  private seq = 0;

  constructor(
    private readonly repository: PropertyRepository,
    private readonly runId: string,
  ) {}

  async commitOne(): Promise<Commit> {
    const property = this.idle.length > 0 && Math.random() >= LISTING_SHARE ? this.takeIdle() : undefined;
    const aggregate = property ?? this.newListing();
    if (property) {
      // Asking prices step by one cent per change, so a change never repeats the current price.
      const current = 650_000_00 + this.seq++;
      property.execute({ type: 'ChangePrice', price: moneyFromMinor(current, 'EUR') });
    }
    const started = now();
    const saved = await this.repository.save(
      aggregate,
      aggregate.persistedVersion,
      benchSaveContext('bench-relay'),
    );
    const committedAt = now();
    this.idle.push(aggregate);
    const eventId = saved.eventIds[0];
    if (eventId === undefined) throw new Error('the save returned no event id');
    return { eventId, startedAt: started, committedAt, saveMs: committedAt - started };
  }

  private takeIdle(): Property | undefined {
    const index = Math.floor(Math.random() * this.idle.length);
    const last = this.idle.pop();
    if (index < this.idle.length && last) {
      const picked = this.idle[index];
      this.idle[index] = last;
      return picked;
    }
    return last;
  }

  private newListing(): Property {
    const n = this.seq++;
    return sampleListing(`bench-relay-${this.runId}-${n}`, n);
  }
}
