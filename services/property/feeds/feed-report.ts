import type { Kysely } from 'kysely';
import type { FeedOutcome } from './feed-changes';
import type { FeedTables } from './feed-records-table';

/** How one source's records fared: counted by outcome, the rejected ones by reason. */
export interface FeedSourceReport {
  source: string;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The rejected records by reason, in the order of the reasons (each starts with its field). */
  reasons: Array<{ reason: string; records: number }>;
  /** When the newest record of the source was recorded; null before its first. */
  lastRecordAt: string | null;
}

/** A source's records of one outcome, as the report query groups them. */
export interface OutcomeTally {
  source: string;
  outcome: FeedOutcome;
  records: number;
  lastRecordAt: Date;
}

/** A source's rejected records of one reason, as the report query groups them. */
export interface RejectionTally {
  source: string;
  reason: string | null;
  records: number;
}

/** Every rejection is recorded with its reason; this only labels a row that somehow has none. */
const NO_REASON = '(none)';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const emptyReport = (source: string): FeedSourceReport => ({
  source,
  imported: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  reasons: [],
  lastRecordAt: null,
});

/** The per-source report from the grouped rows, sources in name order. */
export function tallyFeedReport(
  outcomes: readonly OutcomeTally[],
  rejections: readonly RejectionTally[],
): FeedSourceReport[] {
  const reports = new Map<string, FeedSourceReport>();
  const reportOf = (source: string) => {
    const found = reports.get(source);
    if (found) return found;
    const created = emptyReport(source);
    reports.set(source, created);
    return created;
  };
  const newest = new Map<string, Date>();
  for (const tally of outcomes) {
    reportOf(tally.source)[tally.outcome] += tally.records;
    const latest = newest.get(tally.source);
    if (latest === undefined || tally.lastRecordAt > latest) newest.set(tally.source, tally.lastRecordAt);
  }
  for (const tally of rejections) {
    reportOf(tally.source).reasons.push({ reason: tally.reason ?? NO_REASON, records: tally.records });
  }
  return [...reports.values()]
    .map((report) => ({
      ...report,
      reasons: report.reasons.sort((a, b) => byText(a.reason, b.reason)),
      lastRecordAt: newest.get(report.source)?.toISOString() ?? null,
    }))
    .sort((a, b) => byText(a.source, b.source));
}

/**
 * The reports with every one of `sources` among them: a source the service imports shows
 * (with zeros) before its first record, so an operator sees it is there and still empty.
 */
export function withEverySource(
  reports: readonly FeedSourceReport[],
  sources: readonly string[],
): FeedSourceReport[] {
  const reported = new Set(reports.map((report) => report.source));
  const missing = [...new Set(sources)].filter((source) => !reported.has(source)).map(emptyReport);
  return [...reports, ...missing].sort((a, b) => byText(a.source, b.source));
}

/**
 * What became of the records of every listing feed (or of `source` only), from
 * `feed_records`: counts by outcome, rejections by reason, the newest record's time.
 */
export async function feedReport(db: Kysely<FeedTables>, source?: string): Promise<FeedSourceReport[]> {
  let outcomes = db
    .selectFrom('feed_records')
    .select((eb) => [
      'source',
      'outcome',
      // int8: a bigint (the pool's type parser, services/shared/db/database.ts).
      eb.fn.countAll<bigint>().as('records'),
      eb.fn.max('recorded_at').as('last_record_at'),
    ])
    .groupBy(['source', 'outcome']);
  let rejections = db
    .selectFrom('feed_records')
    .select((eb) => ['source', 'reason', eb.fn.countAll<bigint>().as('records')])
    .where('outcome', '=', 'rejected')
    .groupBy(['source', 'reason']);
  if (source !== undefined) {
    outcomes = outcomes.where('source', '=', source);
    rejections = rejections.where('source', '=', source);
  }
  const [outcomeRows, rejectionRows] = await Promise.all([outcomes.execute(), rejections.execute()]);
  return tallyFeedReport(
    outcomeRows.map((row) => ({
      source: row.source,
      outcome: row.outcome,
      records: Number(row.records),
      lastRecordAt: row.last_record_at,
    })),
    rejectionRows.map((row) => ({ source: row.source, reason: row.reason, records: Number(row.records) })),
  );
}
