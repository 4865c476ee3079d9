import type { RunsCommands } from '../../shared/http/command-runner';
import type { EventSourcedRepository } from '../../shared/event-sourcing/repository';
import type { FieldCipher } from '../../shared/privacy/field-cipher';
import type { KeyStore } from '../../shared/privacy/key-store';
import type { PersonEvent } from '../published/people-events';
import type { Person } from '../domain/person';
import type { PersonErasureDeps } from '../privacy/erase-person';

/** What the People API needs: the command path, the profiles, the keys and the erasure. */
export interface PeopleApiDeps {
  runner: RunsCommands<Person>;
  repository: EventSourcedRepository<PersonEvent, Person, unknown>;
  /** Creates keys and encrypts with the store itself, never a cache (a key erased elsewhere must not be used). */
  writeKeys: KeyStore;
  writeCipher: FieldCipher;
  /** Decrypts for reads (cached keys). */
  readCipher: FieldCipher;
  erasure: PersonErasureDeps;
  clock?: () => Date;
}
