import { randomUUID } from 'node:crypto';
import { listing } from '../../../test/support/property-harness';
import {
  startInMemoryPropertyApi,
  type InMemoryPropertyApi,
} from '../../../test/support/in-memory-property-api';
import type { Property } from '../domain/property';

// The property API's behaviour over the in-memory event store and a local issuer: no stack.
// property-api.int.test.ts keeps what needs the real parts (Postgres writes, the HTTP
// listener's limits, Keycloak's tokens, the outbox).
let api: InMemoryPropertyApi;
beforeAll(async () => {
  api = await startInMemoryPropertyApi();
});
afterAll(() => api.close());

async function listProperty(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await api.call('POST', '/properties', listing(overrides));
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function eventTypes(id: string): Promise<string[]> {
  const history = await api.call('GET', `/properties/${id}/events`);
  return (history.body.events as Array<{ type: string }>).map((e) => e.type);
}

describe('queries', () => {
  it.each([
    ['version=3000000000', 'query.version'],
    ['version=1e3', 'query.version'],
    ['version=', 'query.version'],
  ])('refuses ?%s with a 400 naming %s, never reaching Postgres', async (query, field) => {
    const id = await listProperty();
    const response = await api.call('GET', `/properties/${id}?${query}`);
    expect(response.status).toBe(400);
    expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([field]);
  });

  it.each([
    ['after=3000000000', 'query.after'],
    ['after=0x10', 'query.after'],
    ['limit=', 'query.limit'],
  ])('refuses events?%s with a 400 naming %s', async (query, field) => {
    const id = await listProperty();
    const response = await api.call('GET', `/properties/${id}/events?${query}`);
    expect(response.status).toBe(400);
    expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([field]);
  });
});

describe('commands', () => {
  it('changes the price, and GET shows the new state and version', async () => {
    const id = await listProperty();
    const changed = await api.call('POST', `/properties/${id}/price`, {
      price: { amount: 625000, currency: 'EUR' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, consistencyToken: `${id}@2` });
    const state = await api.call('GET', `/properties/${id}`);
    expect(state.body).toMatchObject({
      version: 2,
      price: { amount: 625000, currency: 'EUR' },
      priceChangeCount: 1,
    });
  });

  it('runs the offer lifecycle: receive → accept; a second accept is refused with its rule', async () => {
    const id = await listProperty();
    const first = await api.as(api.buyer)('POST', `/properties/${id}/offers`, {
      amount: { amount: 640000, currency: 'EUR' },
    });
    expect(first.status).toBe(201);
    const second = await api.as(api.otherBuyer)('POST', `/properties/${id}/offers`, {
      amount: { amount: 645000, currency: 'EUR' },
    });
    const firstOffer = first.body.offerId as string;
    const secondOffer = second.body.offerId as string;
    expect((await api.call('POST', `/properties/${id}/offers/${firstOffer}/accept`)).status).toBe(200);

    const refused = await api.call('POST', `/properties/${id}/offers/${secondOffer}/accept`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ rule: 'offer-already-accepted', status: 409 });
    expect(await eventTypes(id)).toEqual([
      'PropertyListed',
      'OfferReceived',
      'OfferReceived',
      'OfferAccepted',
    ]);
  });

  it('refuses to accept a withdrawn offer', async () => {
    const id = await listProperty();
    const offer = await api.as(api.buyer)('POST', `/properties/${id}/offers`, {
      amount: { amount: 600000, currency: 'EUR' },
    });
    await api.as(api.buyer)('POST', `/properties/${id}/offers/${offer.body.offerId as string}/withdraw`);
    const refused = await api.call('POST', `/properties/${id}/offers/${offer.body.offerId as string}/accept`);
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('offer-not-pending');
  });

  it('answers an unknown offer with 404 and an unknown property with 404', async () => {
    const id = await listProperty();
    expect((await api.call('POST', `/properties/${id}/offers/${randomUUID()}/accept`)).status).toBe(404);
    expect(
      (await api.call('POST', `/properties/${randomUUID()}/price`, { price: { amount: 1, currency: 'EUR' } }))
        .status,
    ).toBe(404);
    expect((await api.call('GET', `/properties/${randomUUID()}`)).status).toBe(404);
    expect((await api.call('GET', '/properties/not-a-uuid')).status).toBe(404);
  });

  it('refuses an offer on a sold property, a price change on a withdrawn listing, and writes nothing', async () => {
    const id = await listProperty();
    const offer = await api.as(api.buyer)('POST', `/properties/${id}/offers`, {
      amount: { amount: 650000, currency: 'EUR' },
    });
    const offerId = offer.body.offerId as string;
    await api.call('POST', `/properties/${id}/offers/${offerId}/accept`);
    // Reservation and sale are the purchase saga's messages, not public endpoints: drive the aggregate directly.
    const property = (await api.repository.load(id)) as Property;
    property.execute({ type: 'Reserve', transactionId: 'tx-1', offerId, buyerId: api.buyer.subject });
    property.execute({ type: 'MarkSold', transactionId: 'tx-1' });
    await api.repository.save(property, property.persistedVersion, {
      correlationId: 'test',
      causationId: null,
      traceparent: null,
      actor: null,
    });

    const onSold = await api.as(api.buyer)('POST', `/properties/${id}/offers`, {
      amount: { amount: 700000, currency: 'EUR' },
    });
    expect(onSold.status).toBe(409);
    expect(onSold.body.rule).toBe('offer-on-sold-property');
    expect((await api.call('GET', `/properties/${id}`)).body).toMatchObject({ status: 'sold', version: 5 });

    const other = await listProperty();
    expect(
      (await api.call('POST', `/properties/${other}/withdraw`, { reason: 'owner changed mind' })).status,
    ).toBe(200);
    const priceOnWithdrawn = await api.call('POST', `/properties/${other}/price`, {
      price: { amount: 1000, currency: 'EUR' },
    });
    expect(priceOnWithdrawn.status).toBe(409);
    expect(priceOnWithdrawn.body.rule).toBe('property-not-listed');
    expect(await eventTypes(other)).toEqual(['PropertyListed', 'ListingWithdrawn']);
    expect((await api.call('POST', `/properties/${other}/relist`, {})).body).toMatchObject({ version: 3 });
  });

  it('refuses a price in another currency (409) and a negative price (400)', async () => {
    const id = await listProperty();
    const usd = await api.call('POST', `/properties/${id}/price`, {
      price: { amount: 700000, currency: 'USD' },
    });
    expect(usd.status).toBe(409);
    expect(usd.body.rule).toBe('currency-mismatch');
    const negative = await api.call('POST', `/properties/${id}/price`, {
      price: { amount: -1, currency: 'EUR' },
    });
    expect(negative.status).toBe(400);
    expect(await eventTypes(id)).toEqual(['PropertyListed']);
  });
});

describe('optimistic concurrency', () => {
  it('If-Match with a stale version → 412 and nothing written', async () => {
    const id = await listProperty();
    await api.call('POST', `/properties/${id}/price`, { price: { amount: 600000, currency: 'EUR' } });
    const stale = await api.call(
      'POST',
      `/properties/${id}/price`,
      { price: { amount: 590000, currency: 'EUR' } },
      { 'If-Match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(2);
    const fresh = await api.call(
      'POST',
      `/properties/${id}/price`,
      { price: { amount: 590000, currency: 'EUR' } },
      { 'If-Match': '"2"' },
    );
    expect(fresh.status).toBe(200);
  });

  it('two concurrent commands at the same expected version: exactly one succeeds', async () => {
    const id = await listProperty();
    const results = await Promise.all(
      [610000, 620000, 630000, 640000].map((amount) =>
        api.call(
          'POST',
          `/properties/${id}/price`,
          { price: { amount, currency: 'EUR' } },
          { 'If-Match': '"1"' },
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // The losers either saw version 2 already (412) or lost the insert race (409).
    expect(statuses.every((s) => s === 200 || s === 409 || s === 412)).toBe(true);
    expect(await eventTypes(id)).toEqual(['PropertyListed', 'PriceChanged']);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, and refuses another body with 422', async () => {
    const key = `listing-${randomUUID()}`;
    const first = await api.call('POST', '/properties', listing(), { 'Idempotency-Key': key });
    const again = await api.call('POST', '/properties', listing(), { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));

    const other = await api.call('POST', '/properties', listing({ bedrooms: 4 }), { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(await eventTypes(first.body.id as string)).toEqual(['PropertyListed']);
  });

  it('makes a retried command take effect once, even when the retries race', async () => {
    const id = await listProperty();
    const key = `offer-${randomUUID()}`;
    const body = { amount: { amount: 500000, currency: 'EUR' } };
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        api.as(api.buyer)('POST', `/properties/${id}/offers`, body, { 'Idempotency-Key': key }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.offerId)).size).toBe(1);
    expect(await eventTypes(id)).toEqual(['PropertyListed', 'OfferReceived']);
  });
});

describe('time travel and history', () => {
  it('returns the state at a version and as of an instant', async () => {
    const id = await listProperty();
    await api.call('POST', `/properties/${id}/price`, { price: { amount: 600000, currency: 'EUR' } });
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await api.call('POST', `/properties/${id}/price`, { price: { amount: 550000, currency: 'EUR' } });

    expect((await api.call('GET', `/properties/${id}?version=1`)).body).toMatchObject({
      version: 1,
      price: { amount: 650000 },
    });
    const atInstant = await api.call('GET', `/properties/${id}?asOf=${between.toISOString()}`);
    expect(atInstant.body).toMatchObject({ version: 2, price: { amount: 600000 } });
    expect(atInstant.headers.get('etag')).toBe('"2"');
    expect((await api.call('GET', `/properties/${id}`)).body).toMatchObject({
      version: 3,
      price: { amount: 550000 },
    });
    expect((await api.call('GET', `/properties/${id}?asOf=2000-01-01T00:00:00Z`)).status).toBe(404);
    expect((await api.call('GET', `/properties/${id}?version=9`)).status).toBe(404);
    const bad = await api.call('GET', `/properties/${id}?asOf=yesterday&version=0`);
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([
      'query.asOf',
      'query.version',
    ]);
  });

  it('pages through the event history', async () => {
    const id = await listProperty();
    for (const amount of [640000, 630000, 620000, 610000]) {
      await api.call('POST', `/properties/${id}/price`, { price: { amount, currency: 'EUR' } });
    }
    const page1 = await api.call('GET', `/properties/${id}/events?limit=2`);
    expect((page1.body.events as Array<{ version: number }>).map((e) => e.version)).toEqual([1, 2]);
    const page2 = await api.call('GET', page1.body.next as string);
    const page3 = await api.call('GET', page2.body.next as string);
    expect((page3.body.events as Array<{ version: number }>).map((e) => e.version)).toEqual([5]);
    expect(page3.body.next).toBeNull();
  });
});
