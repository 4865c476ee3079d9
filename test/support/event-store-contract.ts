import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../../services/shared/domain/command-context';
import { moneyFromMajor } from '../../services/shared/domain/money';
import { ConcurrencyError } from '../../services/shared/errors/concurrency-error';
import type { EventStore } from '../../services/shared/event-store/event-store';
import { listedProperty } from '../../services/property/domain/property';
import type { PropertyEvent } from '../../services/property/published/property-events';

const context: CommandContext = {
  correlationId: 'event-store-contract',
  causationId: 'cause-1',
  traceparent: null,
  actor: 'contract-suite',
};

/** A listing's first event, as the domain raises it (the Postgres store encodes it with the real schema). */
function listed(): PropertyEvent {
  const [event] = listedProperty(
    'any',
    {
      address: {
        street: 'Oudegracht 1',
        city: 'Utrecht',
        postalCode: '3511 AA',
        region: 'UT',
        country: 'NL',
        lat: 52.09,
        lon: 5.12,
      },
      price: moneyFromMajor(400_000, 'EUR'),
      bedrooms: 2,
      bathrooms: 1,
      areaSqm: 80,
      propertyType: 'house',
      ownerId: 'seller-1',
    },
    new Date('2026-01-01T00:00:00.000Z'),
  ).uncommittedEvents;
  if (!event) throw new Error('listing raised no event');
  return event;
}

const repriced = (major: number): PropertyEvent => ({
  type: 'PriceChanged',
  data: { previousPrice: moneyFromMajor(400_000, 'EUR'), newPrice: moneyFromMajor(major, 'EUR') },
});

/**
 * What every EventStore promises (event-store.ts), run against each implementation: the
 * Postgres store in an int test and the in-memory one in a unit test, so tests that use the
 * in-memory store rely on behaviour the real one has. Streams get fresh ids, so the suite
 * shares a database with anything else.
 */
export function describeEventStoreContract<Tx>(
  name: string,
  store: () => EventStore<PropertyEvent, Tx>,
): void {
  describe(`${name} keeps the EventStore contract`, () => {
    it('appends at version 0 and reads the events back in order, with their metadata', async () => {
      const id = randomUUID();
      const saved = await store().append(id, 0, [listed(), repriced(390_000)], context);
      expect(saved).toMatchObject({ streamId: id, fromVersion: 1, toVersion: 2 });
      expect(new Set(saved.eventIds).size).toBe(2);
      const read = await store().read(id);
      expect(read.map((r) => [r.version, r.event.type, r.eventId])).toEqual([
        [1, 'PropertyListed', saved.eventIds[0]],
        [2, 'PriceChanged', saved.eventIds[1]],
      ]);
      expect(read[1]?.event).toEqual(repriced(390_000));
      expect(read[0]).toMatchObject({ streamId: id, streamType: store().streamType });
      expect(read[0]?.metadata).toMatchObject({
        eventId: saved.eventIds[0],
        correlationId: 'event-store-contract',
        causationId: 'cause-1',
        actor: 'contract-suite',
      });
      expect(read[0]?.occurredAt).toBeInstanceOf(Date);
      expect(read[1]!.position).toBeGreaterThan(read[0]!.position);
    });

    it('reads nothing for a stream that has no events', async () => {
      expect(await store().read(randomUUID())).toEqual([]);
      expect(await store().page(randomUUID(), 0, 10)).toEqual([]);
    });

    // Only a version already taken is promised to be refused: the Postgres store's guard is
    // the unique (stream_id, version), so an append ahead of the stream would leave a gap.
    // Repositories always append at the version they loaded, so none asks for one.
    it('refuses an append at a version already taken with ConcurrencyError, and writes nothing', async () => {
      const id = randomUUID();
      await store().append(id, 0, [listed(), repriced(390_000)], context);
      await expect(store().append(id, 0, [listed()], context)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(store().append(id, 1, [repriced(1), repriced(2)], context)).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      expect((await store().read(id)).map((r) => r.version)).toEqual([1, 2]);
    });

    it('lets exactly one of two racing appends at the same version win', async () => {
      const id = randomUUID();
      await store().append(id, 0, [listed()], context);
      const outcomes = await Promise.allSettled([
        store().append(id, 1, [repriced(380_000)], context),
        store().append(id, 1, [repriced(370_000)], context),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(lost?.reason).toBeInstanceOf(ConcurrencyError);
      expect(await store().read(id)).toHaveLength(2);
    });

    it('runs the extra writes with the saved versions, and writes no event when they fail', async () => {
      const id = randomUUID();
      const seen: unknown[] = [];
      await store().append(id, 0, [listed()], context, async (_tx, saved) => {
        seen.push(saved);
      });
      expect(seen).toEqual([expect.objectContaining({ streamId: id, fromVersion: 1, toVersion: 1 })]);
      await expect(
        store().append(id, 1, [repriced(1)], context, async () => {
          throw new Error('the extra write failed');
        }),
      ).rejects.toThrow('the extra write failed');
      expect(await store().read(id)).toHaveLength(1);
      // Nothing half-written blocks the same append afterwards.
      await store().append(id, 1, [repriced(1)], context);
      expect(await store().read(id)).toHaveLength(2);
    });

    it('travels in time by version and by instant, and reads what a snapshot lacks', async () => {
      const id = randomUUID();
      await store().append(id, 0, [listed(), repriced(390_000), repriced(380_000)], context);
      const versions = async (options: Parameters<EventStore<PropertyEvent, Tx>['read']>[1]) =>
        (await store().read(id, options)).map((r) => r.version);
      expect(await versions({ toVersion: 2 })).toEqual([1, 2]);
      expect(await versions({ afterVersion: 1 })).toEqual([2, 3]);
      expect(await versions({ asOf: new Date(Date.now() + 60_000) })).toEqual([1, 2, 3]);
      expect(await versions({ asOf: new Date('2000-01-01T00:00:00.000Z') })).toEqual([]);
    });

    it('pages a stream after a version', async () => {
      const id = randomUUID();
      await store().append(id, 0, [listed(), repriced(390_000), repriced(380_000)], context);
      expect((await store().page(id, 0, 2)).map((r) => r.version)).toEqual([1, 2]);
      expect((await store().page(id, 2, 2)).map((r) => r.version)).toEqual([3]);
    });

    it('reads every stream after a global position, in the order the appends were stored', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await store().append(a, 0, [listed()], context);
      const [first] = await store().read(a);
      await store().append(b, 0, [listed()], context);
      await store().append(a, 1, [repriced(1)], context);
      const ours = (await store().readAll(first!.position - 1n, 10_000)).filter(
        (r) => r.streamId === a || r.streamId === b,
      );
      expect(ours.map((r) => [r.streamId, r.version])).toEqual([
        [a, 1],
        [b, 1],
        [a, 2],
      ]);
      const after = await store().readAll(first!.position, 10_000);
      expect(after.some((r) => r.eventId === first!.eventId)).toBe(false);
    });
  });
}
