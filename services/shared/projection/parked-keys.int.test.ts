import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import {
  CounterFixture,
  strangerSchema,
  type CounterDocument,
  type CounterMessage,
} from '../../../test/support/counter-projection';
import { waitFor } from '../../../test/support/wait-for';
import { header } from '../kafka/relayed-message';
import { parkedMessages } from './dlq-replay';
import { ParkedKeys } from './parked-keys';
import type { ProjectionRunner } from './projection-runner';

/**
 * Parking against the real broker and Elasticsearch: a message that can never be applied goes
 * to `<topic>.dlq` with its reason, its aggregate is marked parked (in Elasticsearch, so it
 * outlives the runner) and every later message of that aggregate is parked behind it, while
 * other aggregates keep flowing. One partition, so "other keys flow" means flowing past the
 * poison message on the same partition.
 */
const fixture = new CounterFixture('parking', 1);
let runner: ProjectionRunner<CounterDocument>;

beforeAll(async () => {
  await fixture.open();
  runner = fixture.runner();
  await runner.start();
});

afterAll(() => fixture.close());

/** Bounded wait until `count` messages of `key` are parked; resolves with its DLQ messages, in order. */
async function parked(key: string, count: number): Promise<KafkaMessage[]> {
  let seen = 0;
  await waitFor(
    () => `${count} parked messages of ${key} (has ${seen})`,
    async () => {
      seen = (await runner.parkedKeys.get(key))?.doc.parkedMessages ?? 0;
      return seen >= count;
    },
  );
  // The DLQ is written before the key's parking, so it holds them all by now.
  return (await parkedMessages(fixture.kafka, fixture.projection, key)).map((r) => r.message);
}

/** What each DLQ message says: the version it carried, why it is parked, and the error. */
const reasons = (messages: KafkaMessage[]) =>
  messages.map((m) => [header(m, 'aggregateVersion'), header(m, 'dlqReason'), header(m, 'dlqError')]);

const added = (key: string, version: number, amount: number) =>
  fixture.message(key, version, { type: 'CounterAdded', data: { amount } });

const opened = (key: string) => fixture.message(key, 1, { type: 'CounterOpened', data: { label: key } });

const behind = (key: string) => `an earlier message of ${key} is parked; replay it first`;

describe('parking', () => {
  it('parks a message that cannot be decoded with why, parks its key’s later messages behind it, and lets other keys flow past', async () => {
    const stranger = await fixture.register([strangerSchema]);
    const valid = (key: string) => added(key, 2, 1);
    /** Each way a message can be undecodable, and what the DLQ must say about it. */
    const poisons: Array<{ why: RegExp; make: (key: string) => Promise<CounterMessage> }> = [
      {
        why: /value is not in the Confluent wire format/,
        make: async (key) => ({ ...(await valid(key)), value: Buffer.from('not avro') }),
      },
      {
        why: /missing key or relay headers/,
        make: async (key) => {
          const message = await valid(key);
          const { eventId: _dropped, ...headers } = message.headers;
          return { ...message, headers };
        },
      },
      {
        why: /is none of the known versions/,
        make: async (key) => {
          const message = await valid(key);
          return {
            ...message,
            value: await stranger.encode('CounterRenamed', 1, { label: 'renamed' }),
            headers: { ...message.headers, eventType: 'CounterRenamed' },
          };
        },
      },
      {
        why: /the eventType header says CounterOpened but the payload's schema is CounterAdded/,
        make: async (key) => {
          const message = await valid(key);
          return { ...message, headers: { ...message.headers, eventType: 'CounterOpened' } };
        },
      },
    ];
    const keys = poisons.map(() => randomUUID());
    const flowing = randomUUID();
    const poisonMessages = await Promise.all(poisons.map((p, i) => p.make(keys[i] as string)));
    await fixture.send(...(await Promise.all(keys.map(opened))));
    const poisonOffsets = await fixture.send(...poisonMessages);
    // Each key's next message comes in a later batch, once its key is parked.
    for (const key of keys) await parked(key, 1);
    await fixture.send(...(await Promise.all(keys.map((key) => added(key, 3, 5)))));
    await fixture.send(await opened(flowing), await added(flowing, 2, 9));

    // Behind every poison message on the one partition: the other key is applied.
    expect(await fixture.applied(flowing, 2)).toMatchObject({ total: 9 });
    for (const [i, key] of keys.entries()) {
      const dlq = await parked(key, 2);
      expect(reasons(dlq)).toEqual([
        ['2', 'undecodable', expect.stringMatching(poisons[i]?.why ?? /never/)],
        ['3', 'parked-behind', behind(key)],
      ]);
      // The message itself, unchanged, and where it came from.
      expect(dlq[0]?.value).toEqual(poisonMessages[i]?.value);
      expect(dlq[0]?.key?.toString()).toBe(key);
      expect(header(dlq[0] as KafkaMessage, 'dlqProjection')).toBe(fixture.projection.name);
      expect(header(dlq[0] as KafkaMessage, 'dlqOriginalTopic')).toBe(fixture.topic);
      expect(header(dlq[0] as KafkaMessage, 'dlqOriginalPartition')).toBe('0');
      expect(header(dlq[0] as KafkaMessage, 'dlqOriginalOffset')).toBe(poisonOffsets[i]?.offset);
      // Nothing after the poison was applied.
      expect(await fixture.document(key)).toMatchObject({ version: 1, total: 0 });
    }
    expect(await runner.parkedKeys.parkedAmong([...keys, flowing])).toEqual(new Set(keys));
  });

  it('parks an event whose fold throws, and its key’s later events behind it, across a restart of the runner', async () => {
    const [stuck, flowing] = [randomUUID(), randomUUID()];
    fixture.poisoned.add(`${stuck}@2`);
    await fixture.send(await opened(stuck), await opened(flowing));
    await fixture.send(await added(stuck, 2, 1), await added(flowing, 2, 1));
    await fixture.send(await added(stuck, 3, 2), await added(flowing, 3, 2));

    expect(await fixture.applied(flowing, 3)).toMatchObject({ total: 3, steps: [1, 2] });
    expect(reasons(await parked(stuck, 2))).toEqual([
      ['2', 'handler-error', 'CounterAdded v2: injected handler failure'],
      ['3', 'parked-behind', behind(stuck)],
    ]);
    expect(await fixture.document(stuck)).toMatchObject({ version: 1 });

    // Parking is kept in Elasticsearch: a new runner of the group keeps the key parked,
    // though the event that failed is no longer on its way (and would now apply).
    await runner.stop();
    fixture.poisoned.delete(`${stuck}@2`);
    runner = fixture.runner();
    await runner.start();
    await fixture.send(await added(stuck, 4, 3), await added(flowing, 4, 3));
    expect(await fixture.applied(flowing, 4)).toMatchObject({ total: 6 });
    expect(reasons(await parked(stuck, 3)).at(-1)).toEqual(['4', 'parked-behind', behind(stuck)]);
    expect(await fixture.document(stuck)).toMatchObject({ version: 1 });
  });

  it('parks the events that went into a document Elasticsearch refuses, then the key’s later ones behind them', async () => {
    const [refused, flowing] = [randomUUID(), randomUUID()];
    await fixture.send(await opened(refused), await added(refused, 2, 2_000_000_000));
    await fixture.applied(refused, 2);
    // The total passes the mapping's integer range: the fold succeeds, the write is refused.
    await fixture.send(await added(refused, 3, 2_000_000_000));
    const [first] = await parked(refused, 1);
    expect(reasons([first as KafkaMessage])).toEqual([
      [
        '3',
        'rejected-document',
        expect.stringMatching(/failed to parse field \[total\] of type \[integer\]/),
      ],
    ]);
    await fixture.send(await added(refused, 4, 1), await opened(flowing));
    await fixture.applied(flowing, 1);
    expect(reasons(await parked(refused, 2)).at(-1)).toEqual(['4', 'parked-behind', behind(refused)]);
    expect(await fixture.document(refused)).toMatchObject({ version: 2, total: 2_000_000_000 });
  });

  // FAILS today (a bug, see the report): the runner writes documents and facts in one bulk
  // request (projection-runner.ts writeBatch → DocumentStore.write), so when the document is
  // refused the facts of the very events it then parks are already written, and being
  // create-only, a replay after a fix can never correct them.
  it('adds no fact for an event it parks because Elasticsearch refused its document', async () => {
    const refused = randomUUID();
    await fixture.send(await opened(refused), await added(refused, 2, 2_000_000_000));
    await fixture.applied(refused, 2);
    const overflow = await added(refused, 3, 2_000_000_000);
    await fixture.send(overflow);
    await parked(refused, 1);
    expect(await fixture.document(refused)).toMatchObject({ version: 2 });
    const facts = (await fixture.facts(refused)).map((f) => f.id);
    expect(facts).toHaveLength(1);
    expect(facts).not.toContain(overflow.headers.eventId);
  });
});

describe('ParkedKeys', () => {
  it('counts what is parked per key, keeps when parking began, and lifts it only if nothing was parked since it was read', async () => {
    const parking = new ParkedKeys(fixture.es, fixture.projection.name);
    await parking.ensureIndex();
    const other = new ParkedKeys(fixture.es, `${fixture.projection.name}-other`);
    const [key, free] = [randomUUID(), randomUUID()];

    await parking.park(key, 'first failure', 2);
    const first = await parking.get(key);
    expect(first?.doc).toEqual({
      projection: fixture.projection.name,
      aggregateId: key,
      parkedAt: expect.any(String),
      parkedMessages: 2,
      lastError: 'first failure',
    });
    // Parking is per projection: the same aggregate id is free in another one.
    expect(await parking.parkedAmong([key, free])).toEqual(new Set([key]));
    expect(await other.parkedAmong([key])).toEqual(new Set());

    await parking.park(key, 'x'.repeat(3_000), 1);
    const second = await parking.get(key);
    expect(second?.doc).toMatchObject({ parkedAt: first?.doc.parkedAt, parkedMessages: 3 });
    expect(second?.doc.lastError).toHaveLength(2_000);
    // Listing searches, so it sees the parking once the index has refreshed.
    await waitFor(`${key} listed as parked`, async () =>
      (await parking.list()).some((p) => p.aggregateId === key && p.parkedMessages === 3),
    );

    // A replay that read the parking before the second message was parked may not lift it.
    expect(await parking.unpark(key, first?.version ?? { seqNo: -1, primaryTerm: -1 })).toBe(false);
    expect(await parking.parkedAmong([key])).toEqual(new Set([key]));
    expect(await parking.unpark(key, second?.version ?? { seqNo: -1, primaryTerm: -1 })).toBe(true);
    expect(await parking.get(key)).toBeUndefined();
    expect((await parking.list()).map((p) => p.aggregateId)).not.toContain(key);
  });
});
