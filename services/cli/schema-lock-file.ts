import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LockedSchema, SchemaSetSchemas } from '../shared/codec/schema-lock';
import { schemaSets } from './schema-sets';

/** The published schemas, checked in at the repository's root and reviewed like code. */
export const schemaLockPath = path.resolve(__dirname, '../../schema-lock.json');

const lockFile = z.array(
  z.strictObject({
    subject: z.string(),
    version: z.number().int().min(1),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  }),
);

export async function readSchemaLock(file = schemaLockPath): Promise<LockedSchema[]> {
  return lockFile.parse(JSON.parse(await readFile(file, 'utf8')));
}

export async function writeSchemaLock(lock: readonly LockedSchema[], file = schemaLockPath): Promise<void> {
  await writeFile(file, `${JSON.stringify(lock, null, 2)}\n`);
}

/** Every schema set of the repository with its schemas, as the gate reads them. */
export async function repositorySchemas(): Promise<SchemaSetSchemas[]> {
  return Promise.all(schemaSets.map(async (set) => ({ topic: set.topic, schemas: await set.load() })));
}
