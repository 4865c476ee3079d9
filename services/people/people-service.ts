import type { Kysely } from 'kysely';
import { AvroEventCodec } from '../shared/codec/avro-event-codec';
import { CommandRunner } from '../shared/http/command-runner';
import { EventSourcedRepository } from '../shared/event-sourcing/repository';
import { PostgresEventStore, type PostgresTransaction } from '../shared/event-store/postgres-event-store';
import type { EventStoreTables } from '../shared/event-store/tables';
import { IdempotencyStore } from '../shared/http/idempotency';
import { CachingKeyStore } from '../shared/privacy/caching-key-store';
import { ErasureEvidenceStore } from '../shared/privacy/erasure-evidence-store';
import { FieldCipher } from '../shared/privacy/field-cipher';
import { KEYSTORE_SCHEMA } from '../shared/privacy/keystore-tables';
import { PostgresKeyStore } from '../shared/privacy/postgres-key-store';
import { masterKeyOf } from '../shared/privacy/privacy-config';
import { housekeeping } from '../shared/service/housekeeping';
import { idempotencyRetention, outboxRetention } from '../shared/service/retention-rules';
import type { ServiceDefinition } from '../shared/service/service-definition';
import { peopleApi } from './api/people-openapi';
import { peopleRoutes } from './api/people-routes';
import type { PersonEvent } from './published/people-events';
import { peopleUpcasters } from './published/people-stream';
import { loadPeopleEventSchemas } from './published/schemas/people-schemas';
import { peopleSchema, peopleStreamType, peopleTopic } from './published/topics';
import { blankPerson, type Person } from './domain/person';
import { peopleConfig, type PeopleConfig } from './people-config';
import type { PersonErasureDeps } from './privacy/erase-person';

/** What tests and the CLIs reach inside a running People service. */
export interface PeopleInternals {
  db: Kysely<EventStoreTables>;
  codec: AvroEventCodec;
  repository: EventSourcedRepository<PersonEvent, Person, PostgresTransaction>;
  keys: CachingKeyStore;
  erasure: PersonErasureDeps;
}

/**
 * The People service: one event-sourced profile per identity (its id is the token
 * subject), personal values encrypted with the person's own data key, erasure by
 * destroying that key (crypto-shredding) and appending PersonErased.
 */
export const peopleService: ServiceDefinition<PeopleConfig, PeopleInternals> = {
  name: 'people',
  summary: 'PUT /people/me, GET /people/:id, DELETE /people/:id (erasure) → people.events',
  api: peopleApi,
  loadConfig: peopleConfig,
  port: (config) => config.PEOPLE_PORT,

  async build(config, runtime) {
    const db = runtime.database<EventStoreTables>(peopleSchema, config.PEOPLE_DB_POOL);
    const masterKey = masterKeyOf(config, runtime.logger);
    // The key store's own schema, through a small pool of its own.
    const keystore = runtime.database<unknown>(KEYSTORE_SCHEMA, config.KEYSTORE_DB_POOL);
    const store = new PostgresKeyStore(keystore, masterKey);
    const keys = new CachingKeyStore(store, {
      ttlMs: config.KEYSTORE_CACHE_TTL_MS,
      maxKeys: config.KEYSTORE_CACHE_MAX_KEYS,
    });
    const codec = new AvroEventCodec(runtime.registry, peopleTopic, await loadPeopleEventSchemas());
    const events = new PostgresEventStore<PersonEvent>(db, peopleStreamType, codec, peopleUpcasters);
    const repository = new EventSourcedRepository<PersonEvent, Person, PostgresTransaction>(
      events,
      blankPerson,
    );
    const runner = new CommandRunner(repository, IdempotencyStore.of(db), runtime.metrics, peopleStreamType);
    const readCipher = new FieldCipher(keys);
    const erasure: PersonErasureDeps = {
      repository,
      keys,
      evidence: new ErasureEvidenceStore(keystore, masterKey),
      cipher: readCipher,
    };
    return {
      routes: peopleRoutes({
        runner,
        repository,
        writeKeys: store,
        writeCipher: new FieldCipher(store),
        readCipher,
        erasure,
      }),
      workers: [
        housekeeping(
          [outboxRetention(db, config), idempotencyRetention(db, config)],
          config.HOUSEKEEPING_INTERVAL_MS,
          runtime.logger,
        ),
      ],
      internals: { db, codec, repository, keys, erasure },
    };
  },
};
