import { randomUUID } from 'node:crypto';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Command, Option } from 'commander';
import type { Kysely } from 'kysely';
import {
  loadPeopleEventSchemas,
  peopleSchema,
  peopleStreamType,
  peopleTopic,
  peopleUpcasters,
  type PersonEvent,
} from '../people/published';
import { blankPerson } from '../people/domain/person';
import { erasePerson } from '../people/privacy/erase-person';
import { AvroEventCodec } from '../shared/codec/avro-event-codec';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { EventSourcedRepository } from '../shared/event-sourcing/repository';
import { PostgresEventStore } from '../shared/event-store/postgres-event-store';
import type { EventStoreTables } from '../shared/event-store/tables';
import { FieldCipher } from '../shared/privacy/field-cipher';
import { createDatabase } from '../shared/db/database';
import { createKafka } from '../shared/kafka/kafka-client';
import { ErasureEvidenceStore } from '../shared/privacy/erasure-evidence-store';
import { ErasureMatcher, guessValueKind, type FormerValue } from '../shared/privacy/erasure-fingerprint';
import { PostgresKeyStore } from '../shared/privacy/postgres-key-store';
import { masterKeyOf, privacyConfig } from '../shared/privacy/privacy-config';
import { describeFinding } from '../shared/privacy/scan/finding';
import { COMPONENTS, verifyErasure, type Component } from '../shared/privacy/scan/verify-erasure';
import type { ValueKind } from '../shared/privacy/value-normalisation';
import { messageOf } from '../shared/errors/message-of';
import { elasticsearchClient } from '../shared/elasticsearch/elasticsearch-client';

/** `npm run privacy -- keys <subjectId> | erase <personId> | verify-erased [subjectId] --value <v>… [--only …] [--strict]` */
const config = infrastructureConfig();
const masterKey = masterKeyOf(privacyConfig());
const db = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 2 });

const program = new Command('privacy').description('Personal data keys and erasure (crypto-shredding)');

program
  .command('keys <subjectId>')
  .description("a subject's data keys (never their material) and its erasures")
  .action(async (subjectId: string) => {
    const keys = await new PostgresKeyStore(db, masterKey).describeSubject(subjectId);
    const erasures = await new ErasureEvidenceStore(db, masterKey).forSubject(subjectId);
    if (keys.length === 0 && erasures.length === 0) {
      console.log(`${subjectId}: no keys, never erased`);
      return;
    }
    for (const key of keys) {
      const state = key.destroyedAt ? `destroyed ${key.destroyedAt.toISOString()}` : 'active';
      console.log(`key ${key.keyId}  created ${key.createdAt.toISOString()}  ${state}`);
    }
    for (const erasure of erasures) {
      console.log(
        `erased ${erasure.erasedAt.toISOString()}  evidence ${erasure.evidenceId} (${erasure.evidence.fingerprints.length} fingerprints)`,
      );
    }
  });

program
  .command('erase <personId>')
  .description(
    'erases a person as DELETE /people/:id does: keeps the evidence of their former values, destroys their data keys, appends PersonErased',
  )
  .action(async (personId: string) => {
    const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
    const codec = new AvroEventCodec(registry, peopleTopic, await loadPeopleEventSchemas());
    const repository = new EventSourcedRepository(
      new PostgresEventStore<PersonEvent>(
        db.withSchema(peopleSchema) as Kysely<EventStoreTables>,
        peopleStreamType,
        codec,
        peopleUpcasters,
      ),
      blankPerson,
    );
    const keys = new PostgresKeyStore(db, masterKey);
    const outcome = await erasePerson(
      { repository, keys, evidence: new ErasureEvidenceStore(db, masterKey), cipher: new FieldCipher(keys) },
      personId,
      { correlationId: randomUUID(), causationId: null, traceparent: null, actor: 'privacy-cli' },
    );
    switch (outcome.outcome) {
      case 'not-found':
        throw new Error(`no person ${personId}`);
      case 'already-erased':
        console.log(
          `${personId}: already erased${outcome.destroyedKeyIds.length > 0 ? ` (destroyed ${outcome.destroyedKeyIds.length} more key(s))` : ''}`,
        );
        return;
      case 'erased': {
        const reclaimed =
          outcome.storageReclaimed === true
            ? 'storage reclaimed'
            : `storage not reclaimed: ${outcome.storageReclaimed.failed}`;
        console.log(
          `${personId}: erased at version ${outcome.version}; destroyed ${outcome.destroyedKeyIds.length} key(s) (${reclaimed}); evidence ${outcome.evidenceId ?? 'kept by an earlier attempt'}`,
        );
        console.log(`prove it: npm run privacy -- verify-erased ${personId}`);
      }
    }
  });

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

program
  .command('verify-erased [subjectId]')
  .description(
    "searches every table, Kafka topic (from the beginning, DLQs included) and Elasticsearch index for an erased person's former values; exit 1 naming each place one is still readable",
  )
  .option(
    '--value <value>',
    'a former value (kind guessed: e-mail, phone, identifier or name); repeatable',
    collect,
    [],
  )
  .option('--email <value>', 'a former e-mail address; repeatable', collect, [])
  .option('--phone <value>', 'a former phone number; repeatable', collect, [])
  .option('--name <value>', 'a former name; repeatable', collect, [])
  .option('--identifier <value>', 'a former licence or other number; repeatable', collect, [])
  .addOption(
    new Option('--only <components>', `comma-separated: ${COMPONENTS.join(', ')}`).default(
      COMPONENTS.join(','),
    ),
  )
  .option(
    '--table <schema.table>',
    'search only this table (repeatable; default: every table)',
    collect,
    undefined,
  )
  .option('--topic <topic>', 'search only this topic (repeatable; default: every topic)', collect, undefined)
  .option('--index <index>', 'search only this index (repeatable; default: every index)', collect, undefined)
  .option('--strict', 'also fail on a single distinctive word of a former name')
  .action(async (subjectId: string | undefined, options: VerifyOptions) => {
    const components = parseComponents(options.only);
    const values = formerValues(options);
    const evidenceStore = new ErasureEvidenceStore(db, masterKey);
    const evidence = subjectId ? (await evidenceStore.forSubject(subjectId)).map((r) => r.evidence) : [];
    if (subjectId && evidence.length === 0 && values.length === 0) {
      throw new Error(`no erasure evidence for subject ${subjectId}: give its former values with --value`);
    }
    if (!subjectId && values.length === 0)
      throw new Error('give a subject id with erasure evidence, or --value');
    const matcher = ErasureMatcher.combine([
      ...(evidence.length > 0 ? [new ErasureMatcher(evidence, evidenceStore.secret)] : []),
      ...(values.length > 0 ? [ErasureMatcher.forPlainValues(values)] : []),
    ]);
    if (matcher.size === 0) throw new Error('every value given is too short to recognise safely');

    const kafka = createKafka(config.KAFKA_BROKERS, 'deedstream-privacy-cli');
    const es = elasticsearchClient(config.ELASTICSEARCH_URL);
    const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
    const decoder = (bytes: Buffer) => registry.decode(bytes) as Promise<unknown>;
    const began = Date.now();
    try {
      const report = await verifyErasure({ db, kafka, es, decoder }, matcher, {
        components,
        tables: options.table,
        topics: options.topic,
        indices: options.index,
      });
      for (const [component, coverage] of Object.entries(report.coverage))
        console.log(`searched ${component}: ${coverage}`);
      for (const place of report.unread) console.log(`not read: ${place}`);
      for (const finding of report.readable) console.log(`READABLE ${describeFinding(finding)}`);
      for (const finding of report.possible) console.log(`possible ${describeFinding(finding)}`);
      const failed = report.readable.length > 0 || (options.strict === true && report.possible.length > 0);
      const counts = `${report.readable.length} place(s) with a former value readable, ${report.possible.length} with a word of a former name`;
      console.log(
        `${subjectId ?? 'values given'}: ${counts} (${((Date.now() - began) / 1000).toFixed(1)} s)`,
      );
      if (failed) process.exitCode = 1;
    } finally {
      await es.close();
    }
  });

interface VerifyOptions {
  value: string[];
  email: string[];
  phone: string[];
  name: string[];
  identifier: string[];
  only: string;
  table?: string[];
  topic?: string[];
  index?: string[];
  strict?: boolean;
}

function formerValues(options: VerifyOptions): FormerValue[] {
  const typed: Array<[ValueKind, string[]]> = [
    ['email', options.email],
    ['phone', options.phone],
    ['name', options.name],
    ['identifier', options.identifier],
  ];
  const values: FormerValue[] = options.value.map((value, i) => ({
    field: `--value #${i + 1}`,
    kind: guessValueKind(value),
    value,
  }));
  for (const [kind, given] of typed) {
    values.push(...given.map((value, i) => ({ field: `--${kind} #${i + 1}`, kind, value })));
  }
  return values;
}

function parseComponents(only: string): Component[] {
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !COMPONENTS.includes(name as Component));
  if (unknown.length > 0)
    throw new Error(`--only: unknown ${unknown.join(', ')} (use ${COMPONENTS.join(', ')})`);
  return names as Component[];
}

program
  .parseAsync()
  .then(() => db.destroy())
  .catch(async (error: unknown) => {
    console.error(`privacy: ${messageOf(error)}`);
    await db.destroy();
    process.exit(1);
  });
