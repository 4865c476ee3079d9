import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SnapshotTables, StoredSnapshot } from '../event-store/tables';
import type { EventSourced } from './aggregate';
import type { DomainEvent } from '../domain/domain-event';
import type { SnapshotFormat } from './snapshot-format';
import { messageOf } from '../errors/message-of';

/** A usable snapshot, or why the stored one was ignored. */
export type SnapshotRead<A> =
  { found: true; aggregate: A; version: number } | { found: false; rejected: string };

function digestOf(streamId: string, version: number, format: number, state: string): string {
  return createHash('sha256').update(`${streamId}\n${version}\n${format}\n${state}`).digest('hex');
}

/**
 * Where a repository keeps its aggregates' snapshots (SnapshotStore). The repository reads
 * the stored row together with the events after it (PostgresEventStore.readFromSnapshot)
 * and asks `restore` whether it is usable.
 */
export interface Snapshots<A> {
  restore(streamId: string, stored: StoredSnapshot): SnapshotRead<A>;
  write(aggregate: A, replace?: boolean): Promise<void>;
}

/**
 * The latest snapshot of each stream in the service's schema. Reading checks format,
 * digest and shape and answers "none" for anything doubtful; writing keeps only the
 * newest version (an older writer never replaces a newer snapshot).
 */
export class SnapshotStore<E extends DomainEvent, A extends EventSourced<E>, S> implements Snapshots<A> {
  constructor(
    private readonly db: Kysely<SnapshotTables>,
    private readonly snapshotFormat: SnapshotFormat<A, S>,
  ) {}

  /** The aggregate from a stored snapshot, or why it is not usable. */
  restore(streamId: string, row: StoredSnapshot): SnapshotRead<A> {
    if (row.format !== this.snapshotFormat.format)
      return { found: false, rejected: `format ${row.format}, expected ${this.snapshotFormat.format}` };
    if (row.digest !== digestOf(streamId, row.version, row.format, row.state))
      return { found: false, rejected: 'digest mismatch' };
    let json: unknown;
    try {
      json = JSON.parse(row.state);
    } catch {
      return { found: false, rejected: 'state is not JSON' };
    }
    const parsed = this.snapshotFormat.schema.safeParse(json);
    if (!parsed.success)
      return { found: false, rejected: `state does not match the format: ${parsed.error.message}` };
    try {
      return {
        found: true,
        version: row.version,
        aggregate: this.snapshotFormat.restore(streamId, row.version, parsed.data),
      };
    } catch (error) {
      return { found: false, rejected: `state could not be restored: ${messageOf(error)}` };
    }
  }

  /**
   * Stores the aggregate's committed state (it must have no uncommitted events). A newer
   * snapshot of the same format stays, unless `replace` (the stored one was rejected on read).
   */
  async write(aggregate: A, replace = false): Promise<void> {
    if (aggregate.uncommittedEvents.length > 0)
      throw new Error('a snapshot is taken of committed state only');
    const version = aggregate.version;
    const format = this.snapshotFormat.format;
    const state = JSON.stringify(this.snapshotFormat.take(aggregate));
    const row = {
      stream_id: aggregate.id,
      version,
      format,
      state,
      digest: digestOf(aggregate.id, version, format, state),
      taken_at: new Date(),
    };
    await this.db
      .insertInto('snapshots')
      .values(row)
      .onConflict((oc) => {
        const update = oc.column('stream_id').doUpdateSet({
          version: (eb) => eb.ref('excluded.version'),
          format: (eb) => eb.ref('excluded.format'),
          state: (eb) => eb.ref('excluded.state'),
          digest: (eb) => eb.ref('excluded.digest'),
          taken_at: (eb) => eb.ref('excluded.taken_at'),
        });
        if (replace) return update;
        return update.where((eb) =>
          eb.or([
            eb('snapshots.version', '<', eb.ref('excluded.version')),
            eb('snapshots.format', '<>', eb.ref('excluded.format')),
          ]),
        );
      })
      .execute();
  }
}
