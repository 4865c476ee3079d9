import { payloadReader } from '../../shared/messaging/typed-payload';
import type { DomainEvent } from '../../shared/domain/domain-event';
import type { EncryptedField } from '../../shared/privacy/encrypted-field';

// Payloads are stored as jsonb and encoded as Avro: plain JSON values only, absent = null.
// Every personal value is an EncryptedField sealed with the person's own data key under a
// stable field name ("name", "email", "phone", "licenceNumber"), so a reader that copies an
// envelope (the property service's agent cards) can decrypt it with the same field name.

/** The encrypted field names of a profile, as the associated data of each envelope says. */
export const personalFieldNames = ['name', 'email', 'phone', 'licenceNumber'] as const;
export type PersonalFieldName = (typeof personalFieldNames)[number];

/** A profile as events carry it: personal values encrypted, the agency (a business) in the clear. */
export interface PersonProfileData {
  readonly name: EncryptedField;
  readonly email: EncryptedField;
  readonly phone: EncryptedField | null;
  /** The agency an agent works for: a business, not personal data. */
  readonly agency: string | null;
  readonly licenceNumber: EncryptedField | null;
  /** Whether the person held the `agent` role when they wrote this profile: agents have a public card. */
  readonly agent: boolean;
}

/** Someone registered a profile (first time, or again after an erasure, with a new data key). */
export interface PersonRegisteredData extends PersonProfileData {
  /** ISO 8601 UTC. */
  readonly registeredAt: string;
}

/** The profile as it is now (the whole profile, not a difference). */
export type PersonProfileUpdatedData = PersonProfileData;

/** The person was erased: their data key is destroyed, every earlier personal value unreadable. */
export interface PersonErasedData {
  /** ISO 8601 UTC. */
  readonly erasedAt: string;
}

export type PersonRegistered = DomainEvent<'PersonRegistered', PersonRegisteredData>;
export type PersonProfileUpdated = DomainEvent<'PersonProfileUpdated', PersonProfileUpdatedData>;
export type PersonErased = DomainEvent<'PersonErased', PersonErasedData>;

export type PersonEvent = PersonRegistered | PersonProfileUpdated | PersonErased;
export type PersonEventType = PersonEvent['type'];

/** The schema version each event type is written with today (bump only with a new .avsc). */
export const personEventSchemaVersions = {
  PersonRegistered: 1,
  PersonProfileUpdated: 1,
  PersonErased: 1,
} as const satisfies Record<PersonEventType, number>;

export const personEventTypes: readonly PersonEventType[] = Object.freeze(
  Object.keys(personEventSchemaVersions) as PersonEventType[],
);

const personEvents = payloadReader<PersonEvent>(personEventSchemaVersions);

export const isPersonEventType = personEvents.isType;

/**
 * A decoded `people.events` message as a PersonEvent, to switch on `type` with typed `data`;
 * undefined for a type this contract does not know (a consumer parks it).
 */
export const personEventOf = personEvents.read;
