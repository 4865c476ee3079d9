import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import type { Kysely } from 'kysely';
import type { ErasureMatcher } from '../erasure-fingerprint';
import { scannableIndices, scanIndices } from './elasticsearch-scanner';
import type { Finding } from './finding';
import { scannableTopics, scanTopics } from './kafka-scanner';
import { scannableTables, scanTables } from './postgres-scanner';
import { ValueProbe, type WireFormatDecoder } from './value-probe';

export type Component = 'postgres' | 'kafka' | 'elasticsearch';
export const COMPONENTS: readonly Component[] = ['postgres', 'kafka', 'elasticsearch'];

export interface VerificationDeps {
  db: Kysely<unknown>;
  kafka: Kafka;
  es: Client;
  /** Decodes Confluent wire-format Avro (the registry); without it bytes are read as text only. */
  decoder?: WireFormatDecoder;
}

export interface VerificationReport {
  /** Places where a whole former value is readable: the erasure is not complete. */
  readable: Finding[];
  /** Places holding one distinctive word of a former name: worth a look, not proof. */
  possible: Finding[];
  /** What was read, per component: "1234 rows in 56 tables". */
  coverage: Partial<Record<Component, string>>;
  /** Places listed but not readable (dropped meanwhile), and values that looked like Avro but did not decode. */
  unread: string[];
}

/** Limits a verification to named places; a component without a list is searched whole. */
export interface VerificationTargets {
  components?: readonly Component[];
  /** `schema.table` names. */
  tables?: readonly string[];
  topics?: readonly string[];
  indices?: readonly string[];
}

/**
 * Searches every copy the platform keeps — every table of every schema (events, outboxes,
 * read state; not the key store), every Kafka topic from its beginning (DLQs included),
 * every Elasticsearch index (hidden and backing indices included) — for the former values.
 */
export async function verifyErasure(
  deps: VerificationDeps,
  matcher: ErasureMatcher,
  targets: VerificationTargets = {},
): Promise<VerificationReport> {
  const components = targets.components ?? COMPONENTS;
  const probe = new ValueProbe(matcher, deps.decoder);
  const findings: Finding[] = [];
  const report: VerificationReport = { readable: [], possible: [], coverage: {}, unread: [] };
  if (components.includes('postgres')) {
    const all = await scannableTables(deps.db);
    const tables = targets.tables
      ? all.filter((t) => targets.tables?.includes(`${t.schema}.${t.table}`))
      : all;
    const listed = new Set(all.map((t) => `${t.schema}.${t.table}`));
    for (const missing of (targets.tables ?? []).filter((name) => !listed.has(name))) {
      report.unread.push(`postgres ${missing}: no such table with text, json or bytea columns`);
    }
    const summary = await scanTables(deps.db, tables, probe);
    findings.push(...summary.findings);
    report.unread.push(...summary.unread);
    report.coverage.postgres = `${summary.scanned} rows in ${tables.length} tables`;
  }
  if (components.includes('kafka')) {
    const topics = targets.topics ?? (await scannableTopics(deps.kafka));
    const summary = await scanTopics(deps.kafka, topics, probe);
    findings.push(...summary.findings);
    report.unread.push(...summary.unread);
    report.coverage.kafka = `${summary.scanned} messages in ${topics.length} topics`;
  }
  if (components.includes('elasticsearch')) {
    const indices = targets.indices ?? (await scannableIndices(deps.es));
    const summary = await scanIndices(deps.es, indices, probe);
    findings.push(...summary.findings);
    report.unread.push(...summary.unread);
    report.coverage.elasticsearch = `${summary.scanned} documents in ${indices.length} indices`;
  }
  if (probe.undecodable > 0) {
    report.unread.push(`${probe.undecodable} Avro value(s) could not be decoded (read as raw text only)`);
  }
  report.readable = findings.filter((f) => f.value.match === 'whole');
  report.possible = findings.filter((f) => f.value.match === 'token');
  return report;
}
