import type { ValueMatch } from '../erasure-fingerprint';

/**
 * A place where a former value is still readable: `where` names the copy (a table row, a
 * Kafka message, an Elasticsearch document), `field` the part of it (a column and JSON
 * path, a header, the Avro-decoded value's field). Never the value itself.
 */
export interface Finding {
  where: string;
  field?: string;
  value: ValueMatch;
}

/** What a scan covered, and what it could not read (so a clean result is not claimed for it). */
export interface ScanSummary {
  findings: Finding[];
  /** Rows, messages or documents read. */
  scanned: number;
  /** Places that were listed but could not be read (deleted meanwhile, undecodable, …). */
  unread: string[];
}

export function describeFinding(finding: Finding): string {
  const { field, kind, match } = finding.value;
  const part = finding.field ? ` ${finding.field}` : '';
  return `${finding.where}${part}: ${field} (${kind}${match === 'token' ? ', one word of it' : ''})`;
}
