import { randomBytes, randomUUID } from 'node:crypto';
import { zipkinUrl } from '../../stack/components/zipkin';
import { freshUser, localUser, type Identity } from '../support/identities';
import { jsonClient, listing } from '../support/property-harness';
import { startSupervised, urlOf, type Supervised, stopEveryProcess } from '../support/service-processes';
import { ancestorsOf, awaitTrace, zipkinServices, type ZipkinSpan } from '../support/zipkin';

/**
 * Traces end to end, read back through Zipkin's own query API: the services run as real
 * processes with tracing on (the default), export to the stack's Zipkin, and one command
 * or one purchase must come out as ONE connected trace, from the HTTP request through the
 * outbox, Debezium and Kafka into every consumer.
 */
const sagaServices = ['property', 'transaction', 'payment', 'contract', 'title'] as const;
let services: Supervised;
let seller: Identity;
let operator: Identity;
const api = {
  property: jsonClient(urlOf('property')),
  transaction: jsonClient(urlOf('transaction')),
  payment: jsonClient(urlOf('payment')),
};

/** A W3C traceparent of our own, so the test knows the trace id before the services do. */
function clientTrace() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

const serviceOf = (span: ZipkinSpan) => span.localEndpoint?.serviceName;
const named = (spans: ZipkinSpan[], service: string, name: string) =>
  spans.filter((s) => serviceOf(s) === service && s.name === name);
/** The service's HTTP server span that answered our request (its parent is our client span). */
const serverSpan = (spans: ZipkinSpan[], service: string, clientSpanId: string) =>
  spans.find((s) => serviceOf(s) === service && s.kind === 'SERVER' && s.parentId === clientSpanId);
const descendsFrom = (spans: ZipkinSpan[], span: ZipkinSpan, root: ZipkinSpan) =>
  ancestorsOf(spans, span).some((a) => a.id === root.id);
/** Spans whose chain of parents does not reach `root` (still in flight, or a broken link). */
const detached = (spans: ZipkinSpan[], root: ZipkinSpan) =>
  spans.filter((s) => s.id !== root.id && !descendsFrom(spans, s, root));

beforeAll(async () => {
  [seller, operator] = await Promise.all([localUser('seller1'), localUser('ops1')]);
  services = await startSupervised({
    only: ['property', 'search', 'analytics', 'transaction', 'payment', 'contract', 'title'],
    env: { TRACING_ENABLED: 'true', ZIPKIN_URL: `${zipkinUrl}/api/v2/spans`, OFFER_WAIT_MS: '30000' },
  });
}, 300_000);

afterAll(async () => {
  await services?.stop();
  await stopEveryProcess();
});

describe('OpenTelemetry traces in Zipkin', () => {
  it('one property command is one trace: HTTP request, append, and both projectors with their bulk writes', async () => {
    const client = clientTrace();
    const correlationId = `trace-test-${randomUUID()}`;
    const listed = await api.property('POST', '/properties', listing(), {
      ...(await seller.headers()),
      traceparent: client.traceparent,
      'X-Correlation-Id': correlationId,
    });
    expect(listed.status).toBe(201);
    const propertyId = listed.body.id as string;

    const projectorSpans = [
      ['search', 'property-search project'],
      ['search', 'property-search bulk write'],
      ['analytics', 'market-analytics project'],
      ['analytics', 'market-analytics bulk write'],
    ] as const;
    const spans = await awaitTrace(
      client.traceId,
      (got) => {
        const http = serverSpan(got, 'property', client.spanId);
        if (!http) return 'the property service HTTP server span';
        if (!got.some((s) => s.name === 'eventstore.append')) return 'eventstore.append';
        const absent = projectorSpans.find(([service, name]) => named(got, service, name).length === 0);
        if (absent) return `${absent[0]}: ${absent[1]}`;
        const loose = detached(got, http);
        return loose.length > 0 ? `the parents of ${loose.map((s) => s.name).join(', ')}` : undefined;
      },
      60_000,
    );

    const http = serverSpan(spans, 'property', client.spanId) as ZipkinSpan;
    expect(http.name).toBe('post /properties');
    expect(http.tags?.['deedstream.correlation_id']).toBe(correlationId);
    const append = named(spans, 'property', 'eventstore.append');
    expect(append).toHaveLength(1);
    expect(append[0]?.tags).toMatchObject({
      'eventstore.stream.id': propertyId,
      'eventstore.stream.type': 'property',
      'eventstore.event.count': '1',
      'eventstore.expected_version': '0',
    });
    expect(descendsFrom(spans, append[0] as ZipkinSpan, http)).toBe(true);
    for (const [service, name] of projectorSpans) {
      for (const span of named(spans, service, name)) {
        expect({ service, name, descends: descendsFrom(spans, span, http) }).toEqual({
          service,
          name,
          descends: true,
        });
      }
    }
    // Each projector's message span names the property; each bulk write span holds the client's request span once.
    expect(named(spans, 'search', 'property-search project')[0]?.tags).toMatchObject({
      'messaging.kafka.message.key': propertyId,
      'projection.outcome': 'applied',
    });
    for (const bulk of [
      ...named(spans, 'search', 'property-search bulk write'),
      ...named(spans, 'analytics', 'market-analytics bulk write'),
    ]) {
      expect(bulk.tags?.['projection.bulk.id']).toMatch(/^[0-9a-f]{32}\/[0-9a-f]{16}$/);
    }

    // Found again by its correlation id, as docs/tracing.md tells.
    const byCorrelation = await fetch(
      `${zipkinUrl}/api/v2/traces?annotationQuery=${encodeURIComponent(`deedstream.correlation_id=${correlationId}`)}&lookback=3600000&limit=10`,
    );
    const traces = (await byCorrelation.json()) as ZipkinSpan[][];
    expect(traces.map((t) => t[0]?.traceId)).toEqual([client.traceId]);
  });

  it('one purchase is one trace across all five services', async () => {
    const price = 410_000;
    const buyer = await freshUser('buyer');
    const listed = await api.property(
      'POST',
      '/properties',
      listing({ price: { amount: price, currency: 'EUR' } }),
      await seller.headers(),
    );
    const propertyId = listed.body.id as string;
    const offer = await api.property(
      'POST',
      `/properties/${propertyId}/offers`,
      { amount: { amount: price, currency: 'EUR' } },
      await buyer.headers(),
    );
    const offerId = offer.body.offerId as string;
    const accepted = await api.property(
      'POST',
      `/properties/${propertyId}/offers/${offerId}/accept`,
      {},
      await seller.headers(),
    );
    expect(accepted.status).toBe(200);
    const buyerId = buyer.subject;
    const account = await api.payment(
      'POST',
      '/accounts',
      { buyerId, balance: { amount: 500_000, currency: 'EUR' } },
      await operator.headers(),
    );
    expect(account.status).toBe(201);

    const client = clientTrace();
    const started = await api.transaction(
      'POST',
      '/transactions',
      { propertyId, offerId, buyerId },
      {
        ...(await buyer.headers()),
        traceparent: client.traceparent,
        'X-Consistency-Token': accepted.body.consistencyToken as string,
      },
    );
    expect(started.status).toBe(202);
    const transactionId = started.body.transactionId as string;
    const until = Date.now() + 60_000;
    const asBuyer = async () =>
      api.transaction('GET', `/transactions/${transactionId}`, undefined, await buyer.headers());
    let saga = await asBuyer();
    while (
      !['COMPLETED', 'COMPENSATED', 'FAILED'].includes(saga.body.status as string) &&
      Date.now() < until
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      saga = await asBuyer();
    }
    expect(saga.body.status).toBe('COMPLETED');

    const spans = await awaitTrace(
      client.traceId,
      (got) => {
        const http = serverSpan(got, 'transaction', client.spanId);
        if (!http) return 'the transaction service HTTP server span';
        // Each participant consumes its commands, the orchestrator their replies.
        const absent = sagaServices.filter(
          (service) => !got.some((s) => serviceOf(s) === service && s.kind === 'CONSUMER'),
        );
        if (absent.length > 0) return `spans of ${absent.join(', ')} consuming a message`;
        // Exported in batches, the last step's spans may arrive after the others.
        if (named(got, 'property', 'eventstore.append').length < 2)
          return 'the appends of PropertyReserved and PropertySold';
        if (named(got, 'search', 'property-search project').length < 1) return "the search projector's span";
        const loose = detached(got, http);
        return loose.length > 0
          ? `the parents of ${loose.map((s) => `${serviceOf(s)}:${s.name}`).join(', ')}`
          : undefined;
      },
      60_000,
    );

    const http = serverSpan(spans, 'transaction', client.spanId) as ZipkinSpan;
    expect(http.name).toBe('post /transactions');
    // One trace id, five services (and the projectors of the property events the saga caused).
    expect([...new Set(spans.map(serviceOf))]).toEqual(expect.arrayContaining([...sagaServices]));
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([client.traceId]));
    // The property service's saga events (reserved, sold) reach the projectors in the same trace.
    expect(named(spans, 'property', 'eventstore.append').length).toBeGreaterThanOrEqual(2);
    expect(named(spans, 'search', 'property-search project').length).toBeGreaterThanOrEqual(1);
    expect(await zipkinServices()).toEqual(expect.arrayContaining([...sagaServices, 'search', 'analytics']));
  });
});
