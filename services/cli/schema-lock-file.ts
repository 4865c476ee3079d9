import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../../stack/paths';
import { goldenFixtureName, newGoldenFixture, type GoldenSet } from '../shared/codec/golden-corpus';
import type { LockedSchema } from '../shared/codec/schema-lock';
import { schemaSets } from './schema-sets';

/** The published schemas, checked in at the repository's root and reviewed like code. */
export const schemaLockPath = path.join(repoRoot, 'schema-lock.json');

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
export async function repositorySchemas(): Promise<GoldenSet[]> {
  return Promise.all(
    schemaSets.map(async (set) => ({
      topic: set.topic,
      schemas: await set.load(),
      upcasters: set.upcasters,
    })),
  );
}

/** Bytes written once with every published schema version, checked in beside the lock. */
export const goldenCorpusPath = path.join(repoRoot, 'schema-golden');

/** Every fixture of the golden corpus by file name. */
export async function readGoldenCorpus(folder = goldenCorpusPath): Promise<Map<string, Buffer>> {
  const names = await readdir(folder).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const avroFiles = names.filter((name) => name.endsWith('.avro'));
  return new Map(
    await Promise.all(
      avroFiles.map(async (name): Promise<[string, Buffer]> => [
        name,
        await readFile(path.join(folder, name)),
      ]),
    ),
  );
}

/** Writes a fixture for every schema version that has none; never rewrites one. Returns the names written. */
export async function addGoldenFixtures(
  sets: readonly GoldenSet[],
  folder = goldenCorpusPath,
): Promise<string[]> {
  const existing = await readGoldenCorpus(folder);
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const set of sets)
    for (const schema of set.schemas) {
      const name = goldenFixtureName(set.topic, schema);
      if (existing.has(name) || written.includes(name)) continue;
      await writeFile(path.join(folder, name), newGoldenFixture(schema));
      written.push(name);
    }
  return written;
}
