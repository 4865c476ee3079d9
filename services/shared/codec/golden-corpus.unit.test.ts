import { loadPropertyEventSchemas, propertyTopic, propertyUpcasters } from '../../property/published';
import { goldenCorpusViolations, goldenFixtureName, newGoldenFixture, type GoldenSet } from './golden-corpus';
import { Upcasters } from './upcasters';
import type { EventSchema } from './event-schema';

async function propertySet(upcasters = propertyUpcasters): Promise<GoldenSet> {
  return { topic: propertyTopic, schemas: await loadPropertyEventSchemas(), upcasters };
}

function corpusOf(set: GoldenSet): Map<string, Buffer> {
  return new Map(set.schemas.map((s) => [goldenFixtureName(set.topic, s), newGoldenFixture(s)]));
}

const listedV1 = (set: GoldenSet): EventSchema => {
  const schema = set.schemas.find((s) => s.eventType === 'PropertyListed' && s.schemaVersion === 1);
  if (!schema) throw new Error('PropertyListed v1 is missing');
  return schema;
};

describe('the golden corpus', () => {
  it('holds when every version has a fixture that decodes and upcasts to the newest version', async () => {
    const set = await propertySet();
    expect(goldenCorpusViolations([set], corpusOf(set))).toEqual([]);
  });

  it('names a schema version without a fixture', async () => {
    const set = await propertySet();
    const corpus = corpusOf(set);
    corpus.delete(goldenFixtureName(set.topic, listedV1(set)));
    expect(goldenCorpusViolations([set], corpus)).toEqual([
      'property.events-dev.deedstream.property.PropertyListed v1 has no golden fixture: run `npm run schemas -- golden` and commit schema-golden/property.events-dev.deedstream.property.PropertyListed.v1.avro',
    ]);
  });

  it('fails a v1 event that reaches readers in its old shape: the upcaster is missing', async () => {
    const withUpcaster = await propertySet();
    const without = await propertySet(new Upcasters());
    const violations = goldenCorpusViolations([without], corpusOf(withUpcaster));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(
      /^property\.events-dev\.deedstream\.property\.PropertyListed v1: .*not a valid PropertyListed v2 \(.*ownerId.*\): add or fix the v1 upcaster$/,
    );
  });

  it('fails a fixture its own writer schema cannot decode', async () => {
    const set = await propertySet();
    const corpus = corpusOf(set);
    corpus.set(goldenFixtureName(set.topic, listedV1(set)), Buffer.from([0x02, 0xff]));
    expect(goldenCorpusViolations([set], corpus)).toEqual([
      expect.stringMatching(
        /^property\.events-dev\.deedstream\.property\.PropertyListed v1: its golden fixture does not decode with it/,
      ),
    ]);
  });
});
