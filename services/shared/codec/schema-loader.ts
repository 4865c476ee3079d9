import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AvroRecordSchema, EventSchema } from './event-schema';

export interface SchemaFolder {
  /** Folder with one `<EventType>.v<N>.avsc` per event type and schema version. */
  directory: string;
  /** Avro namespace every record of this stream must have. */
  namespace: string;
  /** The schema version each event type is written with today. */
  currentVersions: Readonly<Record<string, number>>;
}

const SCHEMA_FILE = /^([A-Za-z]+)\.v([1-9][0-9]*)\.avsc$/;

function isRecordSchema(value: unknown): value is AvroRecordSchema {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof AvroRecordSchema, unknown>>;
  return (
    candidate.type === 'record' &&
    typeof candidate.name === 'string' &&
    typeof candidate.namespace === 'string' &&
    Array.isArray(candidate.fields)
  );
}

async function loadSchemaFile(folder: SchemaFolder, fileName: string): Promise<EventSchema | null> {
  if (!fileName.endsWith('.avsc')) return null;
  const [, eventType, version] = SCHEMA_FILE.exec(fileName) ?? [];
  if (eventType === undefined || version === undefined) {
    throw new Error(`${fileName}: expected a name of the form <EventType>.v<N>.avsc`);
  }
  if (!(eventType in folder.currentVersions)) {
    throw new Error(`${fileName}: ${eventType} is not an event type of this stream`);
  }
  const schema: unknown = JSON.parse(await readFile(path.join(folder.directory, fileName), 'utf8'));
  // The record's full name is what the registry and consumers key on, so a file whose
  // content disagrees with its name would be published under the wrong identity.
  if (!isRecordSchema(schema) || schema.name !== eventType || schema.namespace !== folder.namespace) {
    throw new Error(`${fileName}: expected a record named ${folder.namespace}.${eventType}`);
  }
  return { eventType, schemaVersion: Number(version), schema };
}

/**
 * Reads every schema of a stream, sorted by event type and version. Fails when an event
 * type lacks a schema for the version it is written with, so a missing file stops the
 * service at start-up rather than at the first publish.
 */
export async function loadEventSchemas(folder: SchemaFolder): Promise<EventSchema[]> {
  const fileNames = (await readdir(folder.directory)).sort();
  const loaded = await Promise.all(fileNames.map((fileName) => loadSchemaFile(folder, fileName)));
  const schemas = loaded.filter((entry): entry is EventSchema => entry !== null);
  const missing = Object.entries(folder.currentVersions)
    .filter(
      ([eventType, version]) =>
        !schemas.some((s) => s.eventType === eventType && s.schemaVersion === version),
    )
    .map(([eventType]) => eventType);
  if (missing.length > 0) {
    throw new Error(`no schema for the current version of: ${missing.join(', ')} (in ${folder.directory})`);
  }
  return schemas.sort((a, b) => a.eventType.localeCompare(b.eventType) || a.schemaVersion - b.schemaVersion);
}
