import type { CommandContext } from '../../shared/domain/command-context';
import { ConcurrencyError } from '../../shared/errors/concurrency-error';
import type { EventSourcedRepository } from '../../shared/event-sourcing/repository';
import { shredSubject } from '../../shared/privacy/crypto-shredder';
import type { EvidenceRecorder } from '../../shared/privacy/erasure-evidence-store';
import type { FieldCipher } from '../../shared/privacy/field-cipher';
import type { DestroyResult, KeyStore } from '../../shared/privacy/key-store';
import type { PersonEvent } from '../published/people-events';
import { personView, type Person } from '../domain/person';
import { formerValuesOf, openProfile } from './profile-sealing';

export interface PersonErasureDeps {
  /** Erasure appends alone: it needs no writes in the same transaction, so any store will do. */
  repository: EventSourcedRepository<PersonEvent, Person, unknown>;
  /** The key store whose keys are destroyed (in a service, the caching store, so its own cache forgets at once). */
  keys: KeyStore;
  evidence: EvidenceRecorder;
  /** Reads the former values before the key goes. */
  cipher: FieldCipher;
  clock?: () => Date;
}

export type ErasureOutcome =
  | {
      outcome: 'erased';
      version: number;
      destroyedKeyIds: string[];
      /** Null when an earlier, interrupted attempt already recorded the evidence. */
      evidenceId: string | null;
      storageReclaimed: DestroyResult['storageReclaimed'];
    }
  | { outcome: 'not-found' }
  | { outcome: 'already-erased'; destroyedKeyIds: string[] };

/**
 * Erases a person (DELETE /people/:id and `npm run privacy -- erase`): reads their former
 * values, keeps the evidence (keyed hashes) for `verify-erased`, destroys their data keys,
 * then appends PersonErased. Keys first: once this returns, nothing anywhere can decrypt
 * their values, whatever the readers of PersonErased do. Interrupted between the two, a
 * retry finds the values unreadable (the evidence is already kept), destroys nothing more
 * and appends the event.
 */
export async function erasePerson(
  deps: PersonErasureDeps,
  personId: string,
  context: CommandContext,
): Promise<ErasureOutcome> {
  const clock = deps.clock ?? (() => new Date());
  for (let attempt = 1; ; attempt += 1) {
    const person = await deps.repository.load(personId);
    const view = person && personView(person);
    if (!person || !view || view.status === 'unregistered') return { outcome: 'not-found' };
    if (view.status === 'erased') {
      // A registration that created a key but never committed leaves an active key behind.
      const { destroyedKeyIds } = await deps.keys.destroySubject(personId);
      return { outcome: 'already-erased', destroyedKeyIds };
    }
    const opened = view.profile ? await openProfile(deps.cipher, view.profile) : undefined;
    const formerValues = opened ? formerValuesOf(opened) : [];
    const shredded =
      formerValues.length > 0
        ? await shredSubject(deps.keys, deps.evidence, personId, formerValues)
        : { ...(await deps.keys.destroySubject(personId)), evidence: undefined };
    person.execute({ type: 'Erase', now: clock() });
    try {
      await deps.repository.save(person, person.persistedVersion, context);
    } catch (error) {
      // A profile write landed meanwhile (it was sealed with the destroyed key): erase again.
      if (error instanceof ConcurrencyError && attempt < 3) continue;
      throw error;
    }
    return {
      outcome: 'erased',
      version: person.version,
      destroyedKeyIds: shredded.destroyedKeyIds,
      evidenceId: shredded.evidence?.evidenceId ?? null,
      storageReclaimed: shredded.storageReclaimed,
    };
  }
}
