import { describeEventStoreContract } from '../../../test/support/event-store-contract';
import type { PropertyEvent } from '../../property/published/property-events';
import { ConcurrencyError } from '../errors/concurrency-error';
import { InMemoryEventStore } from './in-memory-event-store';

const store = new InMemoryEventStore<PropertyEvent>('property');
describeEventStoreContract('InMemoryEventStore', () => store);

describe('InMemoryEventStore', () => {
  const context = { correlationId: 'c', causationId: null, traceparent: null, actor: null };
  const withdrawn: PropertyEvent = { type: 'ListingWithdrawn', data: { reason: 'moved' } };

  it('keeps its own copies: a caller changing an event after the append or the read changes nothing', async () => {
    const data: { reason: string | null } = { reason: 'moved' };
    await store.append('copies', 0, [{ type: 'ListingWithdrawn', data }], context);
    data.reason = 'changed after the append';
    const [read] = await store.read('copies');
    if (read?.event.type === 'ListingWithdrawn')
      (read.event.data as { reason: string | null }).reason = 'changed after the read';
    expect((await store.read('copies'))[0]?.event).toEqual(withdrawn);
  });

  it('commits the transaction’s writes only with the events: a failed check undoes both', async () => {
    const committed: string[] = [];
    await expect(
      store.append('checked', 0, [withdrawn], context, async (tx) => {
        tx.beforeCommit(() => {
          throw new ConcurrencyError('a unique key', 0);
        });
        tx.onCommit(() => committed.push('effect'));
      }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(committed).toEqual([]);
    expect(await store.read('checked')).toEqual([]);
    await store.append('checked', 0, [withdrawn], context, async (tx) =>
      tx.onCommit(() => committed.push('effect')),
    );
    expect(committed).toEqual(['effect']);
  });
});
