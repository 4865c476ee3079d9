import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { CounterFixture, type CounterDocument } from '../../../test/support/counter-projection';
import { waitFor } from '../../../test/support/wait-for';
import { EventDecoder, type DecodedPayload } from '../codec/event-decoder';
import { sendToDeadLetter } from '../kafka/dead-letter';
import { describeParked, parkedMessages, replayAggregate } from './dlq-replay';
import type { ProjectionRunner } from './projection-runner';

/**
 * Replaying parked aggregates against the real broker, registry and Elasticsearch, with a live
 * runner of the test-only counter projection beside it: what the DLQ says, a replay that still
 * fails, one that succeeds once the cause is fixed, and one that races the live runner.
 */
const fixture = new CounterFixture('replay', 1);
let runner: ProjectionRunner<CounterDocument>;

beforeAll(async () => {
  await fixture.open();
  runner = fixture.runner();
  await runner.start();
});

afterAll(() => fixture.close());

async function parkedCount(key: string, count: number): Promise<void> {
  let seen = 0;
  await waitFor(
    () => `${count} parked messages of ${key} (has ${seen})`,
    async () => (seen = (await runner.parkedKeys.get(key))?.doc.parkedMessages ?? 0) >= count,
  );
}

const added = (key: string, version: number, amount: number) =>
  fixture.message(key, version, { type: 'CounterAdded', data: { amount } });
const opened = (key: string) => fixture.message(key, 1, { type: 'CounterOpened', data: { label: key } });
const replayDeps = (decoder: EventDecoder = fixture.deps.decoder) => ({
  kafka: fixture.kafka,
  decoder,
  store: runner.store,
  parkedKeys: runner.parkedKeys,
});

describe('DLQ replay', () => {
  it('re-drives a parked aggregate in order once the cause is fixed, lifts its parking, and the key flows again', async () => {
    const [stuck, other] = [randomUUID(), randomUUID()];
    fixture.poisoned.add(`${stuck}@2`);
    await fixture.send(await opened(stuck), await opened(other));
    const [v2] = await fixture.send(await added(stuck, 2, 1), await added(other, 2, 1));
    await fixture.send(await added(stuck, 3, 2));
    await fixture.applied(other, 2);
    await parkedCount(stuck, 2);

    const records = await parkedMessages(fixture.kafka, fixture.projection, stuck);
    expect(records.map(describeParked)).toEqual([
      {
        aggregateId: stuck,
        dlqPartition: 0,
        dlqOffset: expect.stringMatching(/^\d+$/),
        eventType: 'CounterAdded',
        aggregateVersion: '2',
        reason: 'handler-error',
        error: 'CounterAdded v2: injected handler failure',
        original: `${fixture.topic}/0@${v2?.offset}`,
      },
      expect.objectContaining({ aggregateVersion: '3', reason: 'parked-behind' }),
    ]);
    // Another projection's parked copy of the same message, on the same DLQ topic: not ours to replay.
    await sendToDeadLetter(fixture.producer, `${fixture.projection.name}-other`, [
      {
        topic: fixture.topic,
        partition: 0,
        message: records[0]?.message as KafkaMessage,
        reason: 'handler-error',
        error: 'parked by another projection',
      },
    ]);
    expect(await parkedMessages(fixture.kafka, fixture.projection, stuck)).toHaveLength(2);

    // Not fixed yet: the replay says why, and everything stays as it was.
    expect(await replayAggregate(replayDeps(), fixture.projection, stuck)).toEqual({
      aggregateId: stuck,
      replayed: 0,
      failed: 'CounterAdded v2 still fails: injected handler failure',
    });
    expect(await runner.parkedKeys.parkedAmong([stuck])).toEqual(new Set([stuck]));
    expect(await fixture.document(stuck)).toMatchObject({ version: 1 });

    fixture.poisoned.delete(`${stuck}@2`);
    expect(await replayAggregate(replayDeps(), fixture.projection, stuck)).toEqual({
      aggregateId: stuck,
      replayed: 2,
    });
    expect(await fixture.document(stuck)).toEqual({
      id: stuck,
      version: 3,
      label: stuck,
      total: 3,
      steps: [1, 2],
    });
    expect(await fixture.facts(stuck)).toHaveLength(2);
    expect(await runner.parkedKeys.get(stuck)).toBeUndefined();

    // The live runner takes the key up again; a second replay has nothing to do.
    await fixture.send(await added(stuck, 4, 4));
    expect(await fixture.applied(stuck, 4)).toMatchObject({ total: 7, steps: [1, 2, 4] });
    expect(await replayAggregate(replayDeps(), fixture.projection, stuck)).toEqual({
      aggregateId: stuck,
      replayed: 0,
    });
  });

  it('keeps an aggregate parked while one of its DLQ messages cannot be decoded, naming that message', async () => {
    const key = randomUUID();
    const garbage = { ...(await added(key, 2, 1)), value: Buffer.from('not avro') };
    await fixture.send(await opened(key), garbage, await added(key, 3, 1));
    await parkedCount(key, 2);
    const [first] = await parkedMessages(fixture.kafka, fixture.projection, key);

    const result = await replayAggregate(replayDeps(), fixture.projection, key);
    expect(result).toEqual({
      aggregateId: key,
      replayed: 0,
      failed: `message at DLQ offset ${first?.message.offset} is still undecodable: value is not in the Confluent wire format (magic byte 0, schema id, Avro body)`,
    });
    expect(await runner.parkedKeys.parkedAmong([key])).toEqual(new Set([key]));
    expect(await fixture.document(key)).toMatchObject({ version: 1 });
  });

  it('goes round again when the live runner parks another message of the aggregate during the replay', async () => {
    const key = randomUUID();
    fixture.poisoned.add(`${key}@2`);
    await fixture.send(await opened(key), await added(key, 2, 10), await added(key, 3, 20));
    await parkedCount(key, 2);
    fixture.poisoned.delete(`${key}@2`);

    // While the replay decodes what it read of the DLQ, the next event arrives and is parked behind.
    let interrupted = false;
    const next = await added(key, 4, 30);
    class InterruptingDecoder extends EventDecoder {
      override async decode(topic: string, bytes: Buffer): Promise<DecodedPayload> {
        if (!interrupted) {
          interrupted = true;
          await fixture.send(next);
          await parkedCount(key, 3);
        }
        return super.decode(topic, bytes);
      }
    }
    const decoder = new InterruptingDecoder(fixture.registry, [fixture.stream]);

    // The first round's unpark is refused (parking changed since it was read); the second takes v4 too.
    expect(await replayAggregate(replayDeps(decoder), fixture.projection, key)).toEqual({
      aggregateId: key,
      replayed: 3,
    });
    expect(interrupted).toBe(true);
    expect(await fixture.document(key)).toMatchObject({ version: 4, total: 60, steps: [10, 20, 30] });
    expect(await runner.parkedKeys.get(key)).toBeUndefined();
  });
});
