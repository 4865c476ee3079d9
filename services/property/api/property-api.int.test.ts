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
});

describe('optimistic concurrency', () => {
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
