import { createHash } from 'node:crypto';
import avro from 'avsc';
import { subjectFor, type EventSchema } from './event-schema';
import { messageOf } from '../errors/message-of';

/** One published schema: which subject and version, and a fingerprint of everything but its docs. */
export interface LockedSchema {
  subject: string;
  version: number;
  fingerprint: string;
}

export interface SchemaSetSchemas {
  topic: string;
  schemas: readonly EventSchema[];
}

/** The schema without `doc` (prose may be improved), keys sorted: equal fingerprints, equal meaning. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'doc')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, canonical(inner)]),
  );
}

const bySubjectAndVersion = (a: LockedSchema, b: LockedSchema): number =>
  a.subject === b.subject ? a.version - b.version : a.subject < b.subject ? -1 : 1;

export function fingerprintOf(schema: EventSchema['schema']): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(schema)))
    .digest('hex');
}

/** Every schema of every set, as the lock file lists them (sorted by subject and version). */
export function lockOf(sets: readonly SchemaSetSchemas[]): LockedSchema[] {
  const entries = new Map<string, LockedSchema>();
  for (const set of sets)
    for (const schema of set.schemas) {
      const entry = {
        subject: subjectFor(set.topic, schema.schema),
        version: schema.schemaVersion,
        fingerprint: fingerprintOf(schema.schema),
      };
      entries.set(`${entry.subject}@${entry.version}`, entry);
    }
  return [...entries.values()].sort(bySubjectAndVersion);
}

/**
 * Why the schemas in the repository may not land, given the lock of what was published:
 * a published schema removed or changed (add a version instead), a schema not in the lock
 * yet (`npm run schemas -- lock` adds it, so the review sees it), or a version that cannot
 * read data written with some earlier version of its subject (BACKWARD_TRANSITIVE, the
 * registry's rule, checked here without a registry). Empty: it may land.
 */
export function schemaGateViolations(
  locked: readonly LockedSchema[],
  sets: readonly SchemaSetSchemas[],
): string[] {
  const violations: string[] = [];
  const current = new Map(lockOf(sets).map((entry) => [`${entry.subject}@${entry.version}`, entry]));
  const published = new Map(locked.map((entry) => [`${entry.subject}@${entry.version}`, entry]));
  for (const [key, entry] of published) {
    const now = current.get(key);
    if (!now)
      violations.push(
        `${entry.subject} v${entry.version} was published and is gone: keep it, events written with it stay`,
      );
    else if (now.fingerprint !== entry.fingerprint)
      violations.push(
        `${entry.subject} v${entry.version} was published and has changed: restore it and add v${entry.version + 1} instead`,
      );
  }
  for (const [key, entry] of current)
    if (!published.has(key))
      violations.push(
        `${entry.subject} v${entry.version} is not in the schema lock: run \`npm run schemas -- lock\``,
      );

  const bySubject = new Map<string, EventSchema[]>();
  for (const set of sets)
    for (const schema of set.schemas) {
      const subject = subjectFor(set.topic, schema.schema);
      bySubject.set(subject, [...(bySubject.get(subject) ?? []), schema]);
    }
  for (const [subject, versions] of bySubject) {
    const ordered = [...new Map(versions.map((v) => [v.schemaVersion, v])).values()].sort(
      (a, b) => a.schemaVersion - b.schemaVersion,
    );
    // Every version against all before it, as the registry checks each one as it is registered.
    ordered.forEach((later, j) => {
      const reader = avro.Type.forSchema(later.schema as avro.Schema);
      for (const older of ordered.slice(0, j)) {
        try {
          reader.createResolver(avro.Type.forSchema(older.schema as avro.Schema));
        } catch (error) {
          violations.push(
            `${subject} v${later.schemaVersion} cannot read data written with v${older.schemaVersion}: ${messageOf(error)}`,
          );
        }
      }
    });
  }
  return violations;
}

/** The lock after adding what is new; a published entry is never rewritten here. */
export function extendedLock(
  locked: readonly LockedSchema[],
  sets: readonly SchemaSetSchemas[],
): LockedSchema[] {
  const published = new Set(locked.map((entry) => `${entry.subject}@${entry.version}`));
  const added = lockOf(sets).filter((entry) => !published.has(`${entry.subject}@${entry.version}`));
  return [...locked, ...added].sort(bySubjectAndVersion);
}
