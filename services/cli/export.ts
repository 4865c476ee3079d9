import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Kysely } from 'kysely';
import {
  propertySchema,
  propertyStreamType,
  propertyTopic,
  propertyUpcasters,
  type PropertyEvent,
} from '../property/published';
import { AvroEventCodec } from '../shared/codec/avro-event-codec';
import { createDatabase } from '../shared/db/database';
import { messageOf } from '../shared/errors/message-of';
import { PostgresEventStore } from '../shared/event-store/postgres-event-store';
import type { EventStoreTables } from '../shared/event-store/tables';
import { FieldCipher } from '../shared/privacy/field-cipher';
import { PostgresKeyStore } from '../shared/privacy/postgres-key-store';
import { masterKeyOf, privacyConfig } from '../shared/privacy/privacy-config';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { exportFormats, formatOfFile, type ExportFormat } from './export/export-file';
import { exportKinds, runExport, type ExportKind } from './export/run-export';

/** `npm run export -- events|sales [--from DATE] [--to DATE] [--format parquet|jsonl] --out FILE` */
function instant(value: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime()))
    throw new InvalidArgumentError(`"${value}" is not an ISO 8601 date or instant`);
  return at;
}

interface Options {
  from: Date;
  to: Date;
  format?: ExportFormat;
  out: string;
}

const program = new Command('export')
  .description(
    'Replays the property event store into a file for model training: every event at its newest schema, or one row per sale with the property as it was when it sold',
  )
  .addOption(
    new Option('--from <date>', 'first instant (inclusive)')
      .argParser(instant)
      .default(new Date(0), 'the beginning'),
  )
  .addOption(
    new Option('--to <date>', 'last instant (exclusive)').argParser(instant).default(new Date(), 'now'),
  )
  .addOption(new Option('--format <format>', 'file format (default: from --out)').choices(exportFormats))
  .requiredOption('--out <file>', 'where to write (.parquet or .jsonl)')
  .argument('<kind>', `what to export: ${exportKinds.join(' or ')}`)
  .action(async (kind: string, options: Options) => {
    const chosen = exportKinds.find((candidate) => candidate === kind);
    if (!chosen) throw new InvalidArgumentError(`unknown export "${kind}": use ${exportKinds.join(' or ')}`);
    const format = options.format ?? formatOfFile(options.out);
    if (!format)
      throw new InvalidArgumentError(
        `--out ${options.out}: name a .parquet or .jsonl file, or give --format`,
      );
    if (options.from >= options.to) throw new InvalidArgumentError('--from must be before --to');
    await exportTo(chosen, { ...options, format });
  });

async function exportTo(kind: ExportKind, options: Options & { format: ExportFormat }): Promise<void> {
  const config = infrastructureConfig();
  const db = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 2 });
  try {
    // Reading needs no encoding: the codec is never asked for a schema.
    const store = new PostgresEventStore<PropertyEvent>(
      db.withSchema(propertySchema) as Kysely<EventStoreTables>,
      propertyStreamType,
      new AvroEventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }), propertyTopic, []),
      propertyUpcasters,
    );
    const cipher = new FieldCipher(new PostgresKeyStore(db, masterKeyOf(privacyConfig())));
    const { rows } = await runExport(
      { readAll: (after, limit) => store.readAll(after, limit), cipher },
      { kind, from: options.from, to: options.to, format: options.format, out: options.out },
    );
    console.log(`${rows} ${kind === 'events' ? 'events' : 'sales'} → ${options.out} (${options.format})`);
  } finally {
    await db.destroy();
  }
}

program.parseAsync().catch((error: unknown) => {
  console.error(`export: ${messageOf(error)}`);
  process.exit(1);
});
