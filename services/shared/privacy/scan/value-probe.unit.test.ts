import avro from 'avsc';
import { ErasureMatcher } from '../erasure-fingerprint';
import { ValueProbe, type WireFormatDecoder } from './value-probe';

const matcher = ErasureMatcher.forPlainValues([
  { field: 'email', kind: 'email', value: 'agent.x1@example.nl' },
  { field: 'name', kind: 'name', value: 'Probe Persson' },
]);

const type = avro.Type.forSchema({
  type: 'record',
  name: 'Listing',
  fields: [
    { name: 'city', type: 'string' },
    { name: 'agentName', type: 'string' },
  ],
});
/** Confluent wire format with a made-up schema id 7, and a decoder that knows only it. */
const wire = (record: object) => Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), type.toBuffer(record)]);
const decoder: WireFormatDecoder = async (bytes) => {
  if (bytes.readInt32BE(1) !== 7) throw new Error('unknown schema id');
  return type.fromBuffer(bytes.subarray(5));
};

describe('ValueProbe', () => {
  it('looks into every string and key of JSON, naming the path', async () => {
    const probe = new ValueProbe(matcher);
    const findings = await probe.probe(
      { listing: { agents: [{ contact: 'mail Agent.X1@example.nl' }] }, 'agent.x1@example.nl': 1 },
      'postgres t row 1',
      'payload',
    );
    expect(findings.map((f) => [f.where, f.field, f.value.field])).toEqual([
      ['postgres t row 1', 'payload.listing.agents[0].contact', 'email'],
      ['postgres t row 1', 'payload', 'email'],
    ]);
  });

  it('reads bytes as text and, in the wire format, as decoded Avro', async () => {
    const probe = new ValueProbe(matcher, decoder);
    // A 13-character string's Avro length byte is 0x1a; for the name "Probe Persson" it
    // stands right before the text, which the decoded record does not have.
    const findings = await probe.probe(
      wire({ city: 'Utrecht', agentName: 'Probe Persson' }),
      'kafka m',
      'value',
    );
    expect(findings.map((f) => [f.field, f.value.field, f.value.match])).toEqual(
      expect.arrayContaining([['value.(avro).agentName', 'name', 'whole']]),
    );
  });

  it('still reads the raw text of a value it cannot decode, and counts it', async () => {
    const probe = new ValueProbe(matcher, decoder);
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, 9]), Buffer.from('\u0026agent.x1@example.nl')]);
    const findings = await probe.probe(bytes, 'kafka m', 'value');
    expect(findings.map((f) => [f.field, f.value.field])).toEqual([['value', 'email']]);
    expect(probe.undecodable).toBe(1);
  });

  it('finds nothing in unrelated values', async () => {
    const probe = new ValueProbe(matcher, decoder);
    await expect(probe.probe(wire({ city: 'Utrecht', agentName: 'Someone Else' }), 'x')).resolves.toEqual([]);
    await expect(probe.probe({ n: 1, d: new Date(), b: null, t: true }, 'x')).resolves.toEqual([]);
  });
});
