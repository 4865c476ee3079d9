import avro from 'avsc';
import { checkEncryptedFieldDefinitions, type EncryptedField } from '../../../shared/privacy/encrypted-field';
import type { EventSchema } from '../../../shared/codec/event-schema';
import { blankPerson } from '../../domain/person';
import { personEventSchemaVersions, personEventTypes, type PersonEvent } from '../people-events';
import { loadPeopleEventSchemas } from './people-schemas';

let schemas: EventSchema[];

beforeAll(async () => {
  schemas = await loadPeopleEventSchemas();
});

const sealed = (field: string): EncryptedField => ({
  keyId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  iv: 'AAECAwQFBgcICQoL',
  ciphertext: Buffer.from(`sealed ${field}`).toString('base64url'),
});

/** Events as the aggregate raises them, nullable fields both set and null. */
function representativeEvents(): PersonEvent[] {
  const person = blankPerson('subject-1');
  const at = new Date('2026-12-01T10:00:00.000Z');
  person.execute({
    type: 'WriteProfile',
    profile: {
      name: sealed('name'),
      email: sealed('email'),
      phone: sealed('phone'),
      agency: 'Grachten Makelaars',
      licenceNumber: sealed('licenceNumber'),
      agent: true,
    },
    now: at,
  });
  person.execute({
    type: 'WriteProfile',
    profile: {
      name: sealed('name'),
      email: sealed('email'),
      phone: null,
      agency: null,
      licenceNumber: null,
      agent: false,
    },
    now: at,
  });
  person.execute({ type: 'Erase', now: at });
  return [...person.uncommittedEvents];
}

describe('people event schemas', () => {
  it('has exactly one v1 schema per event type', () => {
    expect(schemas.map((s) => `${s.eventType}.v${s.schemaVersion}`).sort()).toEqual(
      personEventTypes.map((type) => `${type}.v${personEventSchemaVersions[type]}`).sort(),
    );
  });

  it('spells the EncryptedField envelope exactly as the privacy module defines it', () => {
    for (const { schema } of schemas) expect(checkEncryptedFieldDefinitions(schema)).toEqual([]);
  });

  it('is exercised by every event type', () => {
    expect(new Set(representativeEvents().map((e) => e.type))).toEqual(new Set(personEventTypes));
  });

  it.each(representativeEvents().map((event, i) => [`${i} ${event.type}`, event] as const))(
    'round-trips event %s through Avro',
    (_label, event) => {
      const entry = schemas.find((s) => s.eventType === event.type);
      if (!entry) throw new Error(`no schema for ${event.type}`);
      const type = avro.Type.forSchema(entry.schema as avro.Schema);
      expect(entry.schema.fields.map((f) => f.name).sort()).toEqual(Object.keys(event.data).sort());
      const decoded: unknown = type.fromBuffer(type.toBuffer(event.data));
      expect(JSON.parse(JSON.stringify(decoded))).toStrictEqual(event.data);
    },
  );
});
