import { randomUUID } from 'node:crypto';
import { listing, startPropertyService, type PropertyHarness } from '../../../test/support/property-harness';
import type { Property } from '../domain/property';

let api: PropertyHarness;
beforeAll(async () => {
  api = await startPropertyService();
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

async function outboxCount(id: string): Promise<number> {
  const row = await api.service.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('aggregateid', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('POST /properties', () => {
  it('lists a property: 201 with Location, ETag and a consistency token; state reads back', async () => {
    const created = await api.call('POST', '/properties', listing());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/properties/${id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toEqual({ id, version: 1, consistencyToken: `${id}@1` });

    const state = await api.call('GET', `/properties/${id}`);
    expect(state.status).toBe(200);
    expect(state.headers.get('etag')).toBe('"1"');
    expect(state.body).toMatchObject({
      id,
      version: 1,
      status: 'listed',
      price: { amount: 650000, currency: 'EUR' },
      address: { city: 'Amsterdam', country: 'NL', lat: 52.3731 },
      bedrooms: 3,
      type: 'apartment',
    });
  });

  it('answers 400 naming every bad field, and writes nothing', async () => {
    const before = await api.service.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = await api.call('POST', '/properties', {
      ...listing(),
      price: { amount: -5, currency: 'euro' },
      bedrooms: 2.5,
      address: { ...listing().address, lat: 123 },
      colour: 'blue',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fields = (bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['(body)', 'address.lat', 'bedrooms', 'price.amount', 'price.currency']);
    expect(bad.body.detail).toMatch(/colour/);
    const after = await api.service.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('answers malformed JSON with 400, never 500', async () => {
    const response = await api.call('POST', '/properties', '{"address": ', {});
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ title: 'Malformed JSON', status: 400 });
  });

  it('answers a body that claims a content encoding it is not in with 400, never 500', async () => {
    const response = await api.call('POST', '/properties', listing(), { 'Content-Encoding': 'gzip' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ title: 'Unreadable body', status: 400 });
  });

  it('answers a request head over 16 KB with a 431 problem, not a bare status line', async () => {
    const response = await fetch(`${api.baseUrl}/properties`, {
      headers: { 'X-Padding': 'x'.repeat(20_000) },
    });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 431, title: 'Request header fields too large' });
  });

  it('answers a body nested thousands deep with 400, never 500', async () => {
    const deep = `${'{"a":['.repeat(2_000)}1${']}'.repeat(2_000)}`;
    const response = await api.call('POST', '/properties', deep, {});
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/nests deeper than 32 levels/);
  });

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
    const property = (await api.service.repository.load(id)) as Property;
    property.execute({ type: 'Reserve', transactionId: 'tx-1', offerId, buyerId: api.buyer.subject });
    property.execute({ type: 'MarkSold', transactionId: 'tx-1' });
    await api.service.repository.save(property, property.persistedVersion, {
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
    expect(await outboxCount(id)).toBe(2);
  });

  it('two writers that loaded the same version collide in the database: one ConcurrencyError', async () => {
    const id = await listProperty();
    const a = (await api.service.repository.load(id)) as Property;
    const b = (await api.service.repository.load(id)) as Property;
    a.execute({ type: 'ChangePrice', price: { amountMinor: 60_000_000, currency: 'EUR' } });
    b.execute({ type: 'ChangePrice', price: { amountMinor: 61_000_000, currency: 'EUR' } });
    const context = { correlationId: 'race', causationId: null, traceparent: null, actor: null };
    const outcomes = await Promise.allSettled([
      api.service.repository.save(a, 1, context),
      api.service.repository.save(b, 1, context),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect((rejected?.reason as Error).name).toBe('ConcurrencyError');
    expect(await outboxCount(id)).toBe(2);
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

describe('correlation and tracing', () => {
  it('echoes X-Correlation-Id and stores it and traceparent in the event metadata and outbox', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const created = await api.call('POST', '/properties', listing(), {
      'X-Correlation-Id': 'corr-123',
      traceparent,
    });
    expect(created.headers.get('x-correlation-id')).toBe('corr-123');
    const history = await api.call('GET', `/properties/${created.body.id as string}/events`);
    expect((history.body.events as Array<{ metadata: object }>)[0]?.metadata).toMatchObject({
      correlationId: 'corr-123',
      traceparent,
    });
    const outbox = await api.service.db
      .selectFrom('outbox')
      .selectAll()
      .where('aggregateid', '=', created.body.id as string)
      .executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({
      correlation_id: 'corr-123',
      traceparent,
      aggregatetype: 'property',
      type: 'PropertyListed',
      aggregate_version: 1,
    });

    const generated = await api.call('POST', '/properties', listing());
    expect(generated.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api.call('POST', '/properties', listing(), { traceparent: 'nonsense' })).status).toBe(400);
  });

  it('stores a valid X-Causation-Id, and refuses any other with a 400 that writes nothing', async () => {
    const caused = await api.call('POST', '/properties', listing(), { 'X-Causation-Id': 'evt:42' });
    const history = await api.call('GET', `/properties/${caused.body.id as string}/events`);
    expect((history.body.events as Array<{ metadata: object }>)[0]?.metadata).toMatchObject({
      causationId: 'evt:42',
    });
    const before = await api.service.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    for (const bad of ['x'.repeat(129), 'has space', '<script>', 'line\tbreak']) {
      const refused = await api.call('POST', '/properties', listing(), { 'X-Causation-Id': bad });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        { field: 'header.X-Causation-Id', message: expect.stringContaining('1-128 characters') },
      ]);
    }
    const after = await api.service.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('serves /health and Prometheus /metrics with appends and conflicts', async () => {
    expect((await api.call('GET', '/health')).body).toMatchObject({
      status: 'ok',
      checks: { database: 'up' },
    });
    expect((await api.call('GET', '/health/live')).body).toMatchObject({ status: 'ok', pid: process.pid });
    expect((await api.call('GET', '/health/ready')).body).toMatchObject({
      status: 'ready',
      checks: { database: 'up', registry: 'up' },
    });
    const metrics = await fetch(`${api.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/deedstream_events_appended_total\{[^}]*event_type="PropertyListed"[^}]*\} \d+/);
    expect(metrics).toContain('deedstream_concurrency_conflicts_total');
    expect(metrics).toMatch(/deedstream_http_request_duration_seconds_bucket/);
  });
});

describe('authentication', () => {
  it('refuses a write without a token (401 + WWW-Authenticate) and writes nothing', async () => {
    const before = await api.service.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const anonymous = await api.anonymous('POST', '/properties', listing());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="deedstream"');
    expect(anonymous.body).toMatchObject({ status: 401, title: 'Unauthenticated' });
    const after = await api.service.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('refuses a malformed, a tampered and a foreign token with 401 invalid_token naming why, even on open routes', async () => {
    const id = await listProperty();
    const token = await api.seller.token();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' }),
    ).toString('base64url');
    const cases: Array<[string, RegExp]> = [
      ['not-a-jwt', /not a JWT/],
      [`${header}.${forged}.${signature}`, /signature/],
      [
        `${header}.${Buffer.from(JSON.stringify({ iss: 'https://evil.example/realms/x', sub: 'x' })).toString('base64url')}.${signature}`,
        /another issuer/,
      ],
    ];
    for (const [bad, why] of cases) {
      const refused = await api.anonymous('GET', `/properties/${id}`, undefined, {
        Authorization: `Bearer ${bad}`,
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="deedstream", error="invalid_token", error_description=".+"$/,
      );
      expect(refused.body.detail).toMatch(why);
      expect(JSON.stringify(refused.body)).not.toContain(bad.slice(0, 20));
    }
    expect(
      (await api.anonymous('GET', `/properties/${id}`, undefined, { Authorization: 'Basic abc' })).status,
    ).toBe(401);
  });

  it('records the token subject as the actor and ignores X-Actor', async () => {
    const created = await api.call('POST', '/properties', listing(), { 'X-Actor': 'mallory' });
    const history = await api.call('GET', `/properties/${created.body.id as string}/events`);
    expect((history.body.events as Array<{ metadata: { actor: string } }>)[0]?.metadata.actor).toBe(
      api.seller.subject,
    );
    const outbox = await api.service.db
      .selectFrom('outbox')
      .select('actor')
      .where('aggregateid', '=', created.body.id as string)
      .executeTakeFirstOrThrow();
    expect(outbox.actor).toBe(api.seller.subject);
    expect((await api.anonymous('GET', `/properties/${created.body.id as string}`)).body).toMatchObject({
      ownerId: null,
    });
    expect((await api.call('GET', `/properties/${created.body.id as string}`)).body).toMatchObject({
      ownerId: api.seller.subject,
    });
  });

  it('shows who owns a listing in its event history only to the owner, as in its state', async () => {
    const created = await api.call('POST', '/properties', listing());
    const path = `/properties/${created.body.id as string}/events`;
    const listedData = (body: Record<string, unknown>) =>
      (body.events as Array<{ type: string; data: { ownerId?: string | null } }>)[0]?.data;
    expect(listedData((await api.anonymous('GET', path)).body)).toMatchObject({ ownerId: null });
    expect(JSON.stringify((await api.anonymous('GET', path)).body)).not.toContain(api.seller.subject);
    expect(listedData((await api.call('GET', path)).body)).toMatchObject({ ownerId: api.seller.subject });
  });
});
