import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Command } from 'commander';
import { AvroEventCodec } from '../shared/codec/avro-event-codec';
import { checkCompatibility } from '../shared/codec/compatibility';
import { applySubjectCompatibility } from '../shared/codec/subject-compatibility';
import { extendedLock, schemaGateViolations } from '../shared/codec/schema-lock';
import { goldenCorpusViolations } from '../shared/codec/golden-corpus';
import {
  addGoldenFixtures,
  goldenCorpusPath,
  readGoldenCorpus,
  readSchemaLock,
  repositorySchemas,
  schemaLockPath,
  writeSchemaLock,
} from './schema-lock-file';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { schemaSets } from './schema-sets';
import { messageOf } from '../shared/errors/message-of';

/** `npm run schemas -- check|register` */
const program = new Command('schemas').description(
  'Checks and registers the Avro event schemas in the schema registry',
);

program
  .command('check')
  .description(
    'compare each local schema with the latest registered one (the schema gate checks every version); exit 1 naming the field on an incompatible change',
  )
  .action(async () => {
    const registryUrl = infrastructureConfig().SCHEMA_REGISTRY_URL;
    let incompatible = 0;
    for (const set of schemaSets) {
      for (const schema of await set.load()) {
        const verdict = await checkCompatibility(registryUrl, set.topic, schema);
        if (verdict.status === 'incompatible') {
          incompatible += 1;
          console.log(
            `✗ ${verdict.subject}: incompatible with registered v${verdict.version}: ${verdict.reason}`,
          );
        } else {
          console.log(
            `✓ ${verdict.subject}: ${verdict.status}${'version' in verdict ? ` (registered v${verdict.version})` : ''}`,
          );
        }
      }
    }
    if (incompatible > 0)
      throw new Error(
        `${incompatible} schema(s) break BACKWARD_TRANSITIVE compatibility; add a new field with a default instead`,
      );
  });

program
  .command('register')
  .description('register every schema under its subject with BACKWARD_TRANSITIVE compatibility')
  .action(async () => {
    const config = infrastructureConfig();
    const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
    for (const set of schemaSets) {
      const codec = new AvroEventCodec(registry, set.topic, await set.load());
      for (const subject of codec.subjects())
        await applySubjectCompatibility(config.SCHEMA_REGISTRY_URL, subject);
      for (const [subject, id] of await codec.registerAll()) console.log(`registered ${subject} as id ${id}`);
    }
  });

program
  .command('gate')
  .description(
    'the CI gate, no registry needed: published schemas unchanged (schema-lock.json), new ones locked, every subject BACKWARD_TRANSITIVE, and every version golden (schema-golden/: its fixture decodes and upcasts to the newest version)',
  )
  .action(async () => {
    const sets = await repositorySchemas();
    const violations = [
      ...schemaGateViolations(await readSchemaLock(), sets),
      ...goldenCorpusViolations(sets, await readGoldenCorpus()),
    ];
    for (const violation of violations) console.error(`✗ ${violation}`);
    if (violations.length > 0) {
      console.error(`schemas: ${violations.length} schema change(s) may not land`);
      process.exit(1);
    }
    console.log(
      "schemas: every published schema is unchanged, every subject reads all its versions, and every version's golden fixture reads as the newest",
    );
  });

program
  .command('golden')
  .description(
    'write a golden fixture for every schema version that has none (an existing one is never rewritten)',
  )
  .action(async () => {
    const written = await addGoldenFixtures(await repositorySchemas());
    for (const name of written) console.log(`+ schema-golden/${name}`);
    console.log(`schemas: ${written.length} golden fixture(s) added to ${goldenCorpusPath}`);
  });

program
  .command('lock')
  .description('add new schemas to schema-lock.json (a published entry is never rewritten)')
  .action(async () => {
    const locked = await readSchemaLock().catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    });
    const next = extendedLock(locked, await repositorySchemas());
    await writeSchemaLock(next);
    console.log(`schemas: ${next.length - locked.length} schema(s) added to ${schemaLockPath}`);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`schemas: ${describe(error)}`);
  process.exit(1);
});

function describe(error: unknown): string {
  const message = messageOf(error);
  if (/ECONNREFUSED|fetch failed/.test(message)) {
    return `cannot reach the schema registry (${infrastructureConfig().SCHEMA_REGISTRY_URL}): start it with \`npm run stack -- up\` or set SCHEMA_REGISTRY_URL`;
  }
  return message;
}
