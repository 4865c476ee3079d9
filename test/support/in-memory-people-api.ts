import { randomBytes } from 'node:crypto';
import { peopleApi } from '../../services/people/api/people-openapi';
import { peopleRoutes } from '../../services/people/api/people-routes';
import { blankPerson, type Person } from '../../services/people/domain/person';
import type { PersonEvent } from '../../services/people/published/people-events';
import { peopleUpcasters } from '../../services/people/published/people-stream';
import { peopleStreamType } from '../../services/people/published/topics';
import { EventSourcedRepository } from '../../services/shared/event-sourcing/repository';
import {
  InMemoryEventStore,
  type InMemoryTransaction,
} from '../../services/shared/event-store/in-memory-event-store';
import { CommandRunner } from '../../services/shared/http/command-runner';
import { InMemoryIdempotency } from '../../services/shared/http/in-memory-idempotency';
import { ServiceMetrics } from '../../services/shared/observability/metrics';
import type {
  EvidenceRecorder,
  RecordedEvidence,
} from '../../services/shared/privacy/erasure-evidence-store';
import { createErasureEvidence } from '../../services/shared/privacy/erasure-fingerprint';
import { FieldCipher } from '../../services/shared/privacy/field-cipher';
import { MemoryKeyStore } from '../../services/shared/privacy/memory-key-store';
import { serveInMemory, type InMemoryApi } from './in-memory-api';

/** The People API over memory: its event store, keys and erasure evidence. */
export interface InMemoryPeopleApi extends InMemoryApi {
  store: InMemoryEventStore<PersonEvent>;
  keys: MemoryKeyStore;
  evidence: RecordedEvidence[];
}

/**
 * The People service's real routes, runner, repository, ciphers and erasure over an
 * in-memory event store and key store: no Postgres, no Keycloak. What only storage can show
 * (ciphertext in the events and outbox, evidence in its table) stays in people-api.int.test.ts.
 */
export async function startInMemoryPeopleApi(): Promise<InMemoryPeopleApi> {
  const store = new InMemoryEventStore<PersonEvent>(peopleStreamType, peopleUpcasters);
  const repository = new EventSourcedRepository<PersonEvent, Person, InMemoryTransaction>(store, blankPerson);
  const metrics = new ServiceMetrics('people');
  const keys = new MemoryKeyStore();
  const cipher = new FieldCipher(keys);
  const evidence: RecordedEvidence[] = [];
  const secret = randomBytes(32);
  const recorder: EvidenceRecorder = {
    async record(subjectId, values) {
      const recorded = {
        evidenceId: `evidence-${evidence.length + 1}`,
        subjectId,
        erasedAt: new Date(),
        evidence: createErasureEvidence(values, secret),
      };
      evidence.push(recorded);
      return recorded;
    },
  };
  const served = await serveInMemory({
    service: 'people',
    routes: peopleRoutes({
      runner: new CommandRunner(repository, new InMemoryIdempotency(), metrics, peopleStreamType),
      repository,
      writeKeys: keys,
      writeCipher: cipher,
      readCipher: cipher,
      erasure: { repository, keys, evidence: recorder, cipher },
    }),
    api: peopleApi,
    metrics,
  });
  return { ...served, store, keys, evidence };
}
