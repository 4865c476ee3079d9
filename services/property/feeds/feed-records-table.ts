import type { ColumnType } from 'kysely';
import type { FeedOutcome } from './feed-changes';

/**
 * What became of each record of each listing feed (migrations/property 0009): one row per
 * message, keyed by where it is on its topic, so a redelivered record is seen as done and
 * the per-source report counts every record exactly once.
 */
export interface FeedRecordsTable {
  source: string;
  kafka_partition: number;
  kafka_offset: string;
  listing_key: string | null;
  property_id: string | null;
  outcome: FeedOutcome;
  reason: string | null;
  /** The record's ModificationTimestamp; null when it could not be read. */
  modified_at: ColumnType<Date | null, string | null, never>;
  recorded_at: ColumnType<Date, never, never>;
}

export interface FeedTables {
  feed_records: FeedRecordsTable;
}

/** A feed's topic and its source: `listing-feed.<source>`. */
export const feedTopicOf = (source: string) => `listing-feed.${source}`;
export const feedSourceOf = (topic: string) => topic.slice('listing-feed.'.length);
