import type { z } from 'zod';

/**
 * How one aggregate type is written to and read back from a snapshot. A snapshot is a
 * cache of the fold of a stream's first `version` events, never a source of truth: one that
 * fails `schema`, has another `format` or a wrong digest is ignored and the events decide.
 */
export interface SnapshotFormat<A, S> {
  /** Bump when the shape of S or the meaning of any field changes: older snapshots are then ignored and replaced. */
  readonly format: number;
  readonly schema: z.ZodType<S>;
  /** A JSON-safe copy of the aggregate's state (no shared references). */
  take(aggregate: A): S;
  /** The aggregate as it was after `version` events, from a snapshot taken then. */
  restore(id: string, version: number, state: S): A;
}
