import { randomBytes, randomUUID } from 'node:crypto';
import avro from 'avsc';
import {
  ENCRYPTED_FIELD_AVRO_NAME,
  checkEncryptedFieldDefinitions,
  encryptedFieldAvroType,
  isEncryptedField,
} from './encrypted-field';
import { openField, sealField } from './field-encryption';

/** An event schema the way PropertyListed v2 would embed the type: defined once, then referenced. */
const agentSchema = {
  type: 'record',
  name: 'AgentAssigned',
  namespace: 'dev.deedstream.property',
  fields: [
    { name: 'agentId', type: 'string' },
    { name: 'agentName', type: encryptedFieldAvroType },
    { name: 'agentEmail', type: ENCRYPTED_FIELD_AVRO_NAME },
    { name: 'agentPhone', type: ['null', ENCRYPTED_FIELD_AVRO_NAME], default: null },
  ],
};

describe('the EncryptedField Avro type', () => {
  const key = { keyId: randomUUID(), subjectId: randomUUID(), material: randomBytes(32) };

  it('carries envelopes through Avro and back, optional fields included', () => {
    const type = avro.Type.forSchema(JSON.parse(JSON.stringify(agentSchema)));
    const event = {
      agentId: key.subjectId,
      agentName: sealField(key, 'name', 'Jan de Vries'),
      agentEmail: sealField(key, 'email', 'jan@example.nl'),
      agentPhone: null,
    };
    const decoded = JSON.parse(JSON.stringify(type.fromBuffer(type.toBuffer(event))));
    expect(decoded).toEqual(event);
    expect(openField(key, decoded.agentEmail, 'email')).toBe('jan@example.nl');
    expect(isEncryptedField(decoded.agentName)).toBe(true);
    expect(isEncryptedField('Jan de Vries')).toBe(false);
  });

  it('is the same as the record a schema embeds, and a drifted copy is named', () => {
    expect(checkEncryptedFieldDefinitions(agentSchema)).toEqual([]);
    const drifted = {
      ...agentSchema,
      fields: [
        agentSchema.fields[0],
        {
          name: 'agentName',
          type: { ...encryptedFieldAvroType, fields: encryptedFieldAvroType.fields.slice(0, 2) },
        },
      ],
    };
    expect(checkEncryptedFieldDefinitions(drifted)).toEqual([
      "fields[1].type: EncryptedField differs from the envelope's definition",
    ]);
  });
});
