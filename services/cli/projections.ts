import { projectionTopics } from '../shared/projection/projection';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { EventDecoder } from '../shared/codec/event-decoder';
import { Command } from 'commander';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { createKafka } from '../shared/kafka/kafka-client';
import { consumerGroupLag } from '../shared/projection/consumer-lag';
import { describeParked, parkedMessages, replayAggregate } from '../shared/projection/dlq-replay';
import { DocumentStore } from '../shared/projection/document-store';
import { ParkedKeys } from '../shared/projection/parked-keys';
import { loadConfig } from '../shared/config/load-config';
import { projectionConfigSchema } from '../shared/projection/projection-config';
import { createProjectionDeps } from '../shared/projection/projection-deps';
import { rebuildProjection } from '../shared/projection/rebuild';
import { verifyProjection } from '../shared/projection/verify';
import { eventSourceOf, projectionNamed, projections } from './projection-set';
import { messageOf } from '../shared/errors/message-of';
import { elasticsearchClient } from '../shared/elasticsearch/elasticsearch-client';

/** `npm run projections -- status | dlq list|replay <projection> | rebuild <projection> | verify <projection> [--repair]` */
const config = infrastructureConfig();
const kafka = createKafka(config.KAFKA_BROKERS, 'deedstream-projections-cli');
const es = elasticsearchClient(config.ELASTICSEARCH_URL);

const program = new Command('projections').description(
  'Operates the Elasticsearch projections: lag, dead letters, replays',
);

program
  .command('status')
  .description("each projection's index, document count, consumer lag and parked aggregates")
  .action(async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const projection of projections) {
        const aliases = await es.indices.getAlias({ name: projection.alias }, { ignore: [404] });
        const index = Object.keys(aliases).filter((k) => k !== 'error' && k !== 'status')[0] ?? '(none)';
        const count = index === '(none)' ? 0 : (await es.count({ index: projection.alias })).count;
        const lag = await consumerGroupLag(
          admin,
          `projection.${projection.name}`,
          projectionTopics(projection),
        );
        const parked = await new ParkedKeys(es, projection.name).list();
        console.log(
          `${projection.name}: alias ${projection.alias} → ${index}, ${count} documents, lag ${lag.reduce((s, p) => s + p.lag, 0)}, ${parked.length} parked aggregate(s)`,
        );
      }
    } finally {
      await admin.disconnect();
    }
  });

const dlq = program.command('dlq').description('dead-lettered (parked) messages of a projection');

dlq
  .command('list <projection>')
  .description('parked aggregates and their DLQ messages, in order')
  .action(async (name: string) => {
    const projection = projectionNamed(name);
    const parked = await new ParkedKeys(es, projection.name).list();
    const records = await parkedMessages(kafka, projection);
    const live = new Set(parked.map((p) => p.aggregateId));
    console.log(`${name}: ${parked.length} parked aggregate(s), ${records.length} DLQ message(s) in all`);
    for (const record of records.map(describeParked)) {
      const state = live.has(record.aggregateId) ? 'PARKED  ' : 'replayed';
      console.log(
        `${state} ${record.aggregateId} v${record.aggregateVersion} ${record.eventType} [${record.reason}] ${record.error} (from ${record.original})`,
      );
    }
  });

dlq
  .command('replay <projection>')
  .description("re-drive parked aggregates' messages in order; lifts parking when all apply")
  .option('--key <aggregateId>', 'only this aggregate')
  .action(async (name: string, options: { key?: string }) => {
    const projection = projectionNamed(name);
    const parkedKeys = new ParkedKeys(es, projection.name);
    const keys = options.key ? [options.key] : (await parkedKeys.list()).map((p) => p.aggregateId);
    if (keys.length === 0) console.log(`${name}: nothing is parked`);
    const deps = {
      kafka,
      decoder: new EventDecoder(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }), projection.streams),
      store: new DocumentStore(es, projection),
      parkedKeys,
    };
    let failures = 0;
    for (const key of keys) {
      const result = await replayAggregate(deps, projection, key);
      if (result.failed) {
        failures += 1;
        console.log(`${key}: still parked — ${result.failed}`);
      } else console.log(`${key}: replayed ${result.replayed} message(s); unparked`);
    }
    if (failures > 0)
      throw new Error(`${failures} aggregate(s) could not be replayed; fix the cause and replay again`);
  });

program
  .command('rebuild <projection>')
  .description(
    'build a fresh index from the beginning of the topics while the live one serves, then swap the alias',
  )
  .action(async (name: string) => {
    const projection = projectionNamed(name);
    const { deps, runnerOptions } = createProjectionDeps(
      'projections-cli',
      loadConfig(projectionConfigSchema, { ...process.env, LOG_LEVEL: 'warn' }),
      projection.streams,
    );
    const admin = deps.kafka.admin();
    await admin.connect();
    try {
      const report = await rebuildProjection(
        deps,
        admin,
        projection,
        { ...runnerOptions, batchSize: 2_000 },
        (m) => console.log(`${name}: ${m}`),
      );
      console.log(
        `${name}: rebuilt ${report.documents} documents from ${report.events} messages in ${report.seconds.toFixed(1)} s (${Math.round(report.events / report.seconds)} events/s); ${report.oldIndex ?? '(none)'} → ${report.newIndex}`,
      );
    } finally {
      await admin.disconnect();
      await deps.es.close();
    }
  });

program
  .command('verify <projection>')
  .description(
    'fold the Postgres event store and compare with the index (version + content hash); exit 1 on drift',
  )
  .option('--repair', 're-project just the documents that differ')
  .action(async (name: string, options: { repair?: boolean }) => {
    const projection = projectionNamed(name);
    const source = eventSourceOf(projection);
    try {
      const report = await verifyProjection(es, projection, source.readAll, options.repair ?? false);
      console.log(
        `${name}: ${report.events} events in ${report.streams} streams → ${report.documents} expected documents; ${report.drift.length} drifted`,
      );
      for (const d of report.drift.slice(0, 50)) console.log(`  ${d.kind.padEnd(7)} ${d.id}: ${d.detail}`);
      if (report.drift.length > 50) console.log(`  … and ${report.drift.length - 50} more`);
      if (options.repair) console.log(`${name}: repaired ${report.repaired} document(s)`);
      else if (report.drift.length > 0)
        throw new Error(
          `${report.drift.length} document(s) drifted from the event store; run with --repair to re-project them`,
        );
    } finally {
      await source.close();
    }
  });

program
  .parseAsync()
  .catch((error: unknown) => {
    console.error(`projections: ${messageOf(error)}`);
    process.exitCode = 1;
  })
  .finally(() => es.close());
