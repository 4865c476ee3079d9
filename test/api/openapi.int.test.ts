import { randomUUID } from 'node:crypto';
import { serviceCatalog, type ServiceName } from '../../services/catalog';
import { buildOpenApiDocument } from '../../services/shared/http/openapi/openapi-document';
import type { RunningService } from '../../services/shared/service/start-service';
import { startEveryApi } from '../support/every-api';
import { localUser } from '../support/identities';
import { expectServedDocumented, operationFor, servedDocument } from '../support/openapi-contract';

/**
 * The contract of every REST API: each service (API only) serves its OpenAPI document and
 * Swagger UI, and a representative request of every operation — successes, refusals,
 * invalid input, missing things — gets an answer its document describes (status, required
 * headers, body schema). Every documented operation must be exercised here at least once.
 * The int tests of property, search and analytics check each of their answers the same way.
 */

type Who = 'anonymous' | 'seller1' | 'agent1' | 'buyer1' | 'ops1' | 'compliance1' | 'registrar1';

interface Step {
  as: Who;
  method: string;
  /** `{sub:<user>}` stands for that local user's subject (their person id). */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The statuses this step may get; a read model answers 503 until its index exists. */
  expect: number | number[];
}

const id = randomUUID().slice(0, 8);
const buyerAccount = `contract-test-buyer-${id}`;
const party = `contract-test-party-${id}`;
const propertyId = `contract-test-property-${id}`;
const lien = `lien-${id}`;
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const readModel = [200, 503];
const missingFromReadModel = [404, 503];

/** The operations every read model serves for the ops role. */
const readModelOpsSteps: Step[] = [
  { as: 'anonymous', method: 'GET', path: '/ops/projection', expect: 401 },
  { as: 'buyer1', method: 'GET', path: '/ops/projection', expect: 403 },
  { as: 'ops1', method: 'GET', path: '/ops/projection', expect: 200 },
  { as: 'ops1', method: 'POST', path: `/ops/projection/parked/${propertyId}/replay`, expect: 404 },
  { as: 'ops1', method: 'POST', path: `/ops/projection/parked/%20/replay`, expect: 400 },
  { as: 'buyer1', method: 'POST', path: `/ops/projection/parked/${propertyId}/replay`, expect: 403 },
];

/** Each service's representative requests, in order (later ones build on earlier ones). */
const steps: Record<ServiceName, Step[]> = {
  property: [
    { as: 'anonymous', method: 'POST', path: '/properties', body: {}, expect: 401 },
    { as: 'buyer1', method: 'POST', path: '/properties', body: {}, expect: 403 },
    { as: 'seller1', method: 'POST', path: '/properties', body: { price: eur(-1) }, expect: 400 },
    { as: 'anonymous', method: 'GET', path: '/properties/not-a-uuid', expect: 404 },
    { as: 'anonymous', method: 'GET', path: `/properties/${randomUUID()}/events`, expect: 404 },
    {
      as: 'anonymous',
      method: 'GET',
      path: '/properties/not-a-uuid',
      headers: { Authorization: 'Bearer not-a-token' },
      expect: 401,
    },
    ...[
      ['details', 'POST'],
      ['price', 'POST'],
      ['offers', 'POST'],
      ['offers/o/accept', 'POST'],
      ['offers/o/reject', 'POST'],
      ['offers/o/withdraw', 'POST'],
      ['withdraw', 'POST'],
      ['relist', 'POST'],
    ].map(([command, method]): Step => ({
      as: 'seller1',
      method: method ?? 'POST',
      path: `/properties/${randomUUID()}/${command}`,
      body: {},
      expect: [400, 404],
    })),
    { as: 'anonymous', method: 'GET', path: '/ops/feeds', expect: 401 },
    { as: 'buyer1', method: 'GET', path: '/ops/feeds', expect: 403 },
    { as: 'ops1', method: 'GET', path: '/ops/feeds', expect: 200 },
  ],
  search: [
    { as: 'anonymous', method: 'GET', path: '/search/properties?limit=1', expect: readModel },
    { as: 'anonymous', method: 'GET', path: '/search/properties?colour=blue', expect: 400 },
    {
      as: 'anonymous',
      method: 'GET',
      path: `/search/properties/${propertyId}`,
      expect: missingFromReadModel,
    },
    ...readModelOpsSteps,
  ],
  analytics: [
    { as: 'anonymous', method: 'GET', path: '/analytics/markets/amsterdam', expect: readModel },
    { as: 'anonymous', method: 'GET', path: '/analytics/markets/amsterdam?from=yesterday', expect: 400 },
    {
      as: 'anonymous',
      method: 'GET',
      path: `/analytics/properties/${propertyId}`,
      expect: missingFromReadModel,
    },
    ...readModelOpsSteps,
  ],
  valuation: [
    { as: 'anonymous', method: 'GET', path: `/valuations/${propertyId}`, expect: missingFromReadModel },
    {
      as: 'anonymous',
      method: 'GET',
      path: '/valuations?city=Utrecht&type=house&areaSqm=120&bedrooms=3&bathrooms=1&lat=52.09&lon=5.12',
      expect: readModel,
    },
    { as: 'anonymous', method: 'GET', path: '/valuations?city=Utrecht&type=castle', expect: 400 },
    ...readModelOpsSteps,
  ],
  audit: [
    { as: 'anonymous', method: 'GET', path: '/audit', expect: 401 },
    { as: 'buyer1', method: 'GET', path: `/audit?aggregateId=${propertyId}`, expect: 403 },
    {
      as: 'compliance1',
      method: 'GET',
      path: `/audit?aggregateType=property&aggregateId=${propertyId}`,
      expect: 200,
    },
    { as: 'ops1', method: 'GET', path: '/audit?from=2026-12-02&to=2026-12-01', expect: 400 },
    { as: 'ops1', method: 'GET', path: '/audit?cursor=not-ours', expect: 400 },
  ],
  transaction: [
    { as: 'anonymous', method: 'GET', path: `/transactions?propertyId=${propertyId}`, expect: 401 },
    { as: 'buyer1', method: 'GET', path: `/transactions?propertyId=${propertyId}`, expect: 200 },
    { as: 'buyer1', method: 'GET', path: '/transactions', expect: 400 },
    { as: 'buyer1', method: 'GET', path: `/transactions/unknown-${id}`, expect: 404 },
    { as: 'buyer1', method: 'POST', path: '/transactions', body: {}, expect: 400 },
    {
      as: 'buyer1',
      method: 'POST',
      path: '/transactions',
      body: { propertyId, offerId: `offer-${id}`, buyerId: 'someone-else' },
      expect: 403,
    },
    {
      as: 'buyer1',
      method: 'POST',
      path: '/transactions',
      body: { propertyId, offerId: `offer-${id}` },
      expect: 404,
    },
  ],
  payment: [
    { as: 'anonymous', method: 'POST', path: '/accounts', body: {}, expect: 401 },
    { as: 'buyer1', method: 'POST', path: '/accounts', body: { buyerId: buyerAccount }, expect: 403 },
    { as: 'ops1', method: 'POST', path: '/accounts', body: { balance: eur(-1) }, expect: 400 },
    {
      as: 'ops1',
      method: 'POST',
      path: '/accounts',
      body: { buyerId: buyerAccount, balance: eur(1000) },
      expect: 201,
    },
    { as: 'ops1', method: 'POST', path: '/accounts', body: { buyerId: buyerAccount }, expect: 409 },
    { as: 'ops1', method: 'GET', path: `/accounts/${buyerAccount}`, expect: 200 },
    { as: 'buyer1', method: 'GET', path: `/accounts/${buyerAccount}`, expect: 403 },
    { as: 'ops1', method: 'GET', path: `/accounts/nobody-${id}`, expect: 404 },
    { as: 'ops1', method: 'GET', path: '/accounts/not%20an%20id', expect: 400 },
    ...[201, 201].map((status): Step => ({
      as: 'ops1',
      method: 'POST',
      path: `/accounts/${buyerAccount}/deposits`,
      body: { amount: eur(50) },
      headers: { 'Idempotency-Key': `deposit-${id}` },
      expect: status,
    })),
    {
      as: 'ops1',
      method: 'POST',
      path: `/accounts/${buyerAccount}/deposits`,
      body: { amount: eur(60) },
      headers: { 'Idempotency-Key': `deposit-${id}` },
      expect: 422,
    },
    {
      as: 'ops1',
      method: 'POST',
      path: `/accounts/${buyerAccount}/deposits`,
      body: { amount: { amount: 5, currency: 'USD' } },
      expect: 409,
    },
    {
      as: 'ops1',
      method: 'POST',
      path: `/accounts/nobody-${id}/deposits`,
      body: { amount: eur(5) },
      expect: 404,
    },
    {
      as: 'buyer1',
      method: 'POST',
      path: `/accounts/${buyerAccount}/deposits`,
      body: { amount: eur(5) },
      expect: 403,
    },
  ],
  contract: [
    {
      as: 'compliance1',
      method: 'PUT',
      path: `/compliance-holds/${party}`,
      body: { reason: 'review' },
      expect: 200,
    },
    { as: 'compliance1', method: 'PUT', path: `/compliance-holds/${party}`, body: {}, expect: 400 },
    {
      as: 'buyer1',
      method: 'PUT',
      path: `/compliance-holds/${party}`,
      body: { reason: 'mine' },
      expect: 403,
    },
    { as: 'compliance1', method: 'DELETE', path: `/compliance-holds/${party}`, expect: 204 },
    { as: 'compliance1', method: 'DELETE', path: `/compliance-holds/${party}`, expect: 404 },
    { as: 'compliance1', method: 'GET', path: `/contracts?propertyId=${propertyId}`, expect: 200 },
    { as: 'compliance1', method: 'GET', path: '/contracts', expect: 400 },
    { as: 'buyer1', method: 'GET', path: `/contracts?propertyId=${propertyId}`, expect: 403 },
    { as: 'ops1', method: 'GET', path: `/contracts/unknown-${id}`, expect: 404 },
    { as: 'ops1', method: 'GET', path: '/contracts/not%20an%20id', expect: 400 },
  ],
  console: [
    { as: 'anonymous', method: 'GET', path: '/', expect: 200 },
    { as: 'anonymous', method: 'GET', path: '/assets/app.js', expect: 200 },
    { as: 'anonymous', method: 'GET', path: '/assets/nothing.js', expect: 404 },
    { as: 'anonymous', method: 'GET', path: '/assets/..%2Fsecret', expect: 400 },
    { as: 'anonymous', method: 'GET', path: '/session', expect: 204 },
    { as: 'anonymous', method: 'GET', path: '/session/login?returnTo=%23%2Fmarkets', expect: 303 },
    { as: 'anonymous', method: 'GET', path: '/session/login?returnTo=javascript%3Aalert(1)', expect: 400 },
    { as: 'anonymous', method: 'GET', path: '/session/callback?state=not-started-here&code=x', expect: 400 },
    { as: 'anonymous', method: 'GET', path: '/session/callback?code=x', expect: 400 },
    { as: 'anonymous', method: 'DELETE', path: '/session', expect: 204 },
    {
      as: 'anonymous',
      method: 'DELETE',
      path: '/session',
      headers: { 'Sec-Fetch-Site': 'same-site' },
      expect: 403,
    },
    { as: 'anonymous', method: 'GET', path: '/api/search/properties?limit=1', expect: 401 },
    { as: 'seller1', method: 'GET', path: '/api/search/properties?limit=1', expect: readModel },
    { as: 'seller1', method: 'GET', path: '/api/search/properties?colour=blue', expect: 400 },
    { as: 'seller1', method: 'GET', path: `/api/property/properties/${randomUUID()}`, expect: 404 },
    { as: 'seller1', method: 'GET', path: `/api/property/properties/${randomUUID()}/events`, expect: 404 },
    { as: 'seller1', method: 'GET', path: '/api/analytics/markets/amsterdam', expect: readModel },
    {
      as: 'seller1',
      method: 'GET',
      path: `/api/valuation/valuations/${randomUUID()}`,
      expect: missingFromReadModel,
    },
    {
      as: 'ops1',
      method: 'GET',
      path: `/api/audit/audit?aggregateType=property&aggregateId=${propertyId}`,
      expect: 200,
    },
    { as: 'ops1', method: 'GET', path: '/api/audit/audit?kind=everything', expect: 400 },
    { as: 'buyer1', method: 'GET', path: '/api/audit/audit', expect: 403 },
    { as: 'ops1', method: 'GET', path: '/api/property/ops/feeds', expect: 200 },
    { as: 'buyer1', method: 'GET', path: '/api/property/ops/feeds', expect: 403 },
    { as: 'buyer1', method: 'GET', path: '/api/console/pipeline', expect: 403 },
    { as: 'ops1', method: 'GET', path: '/api/console/pipeline', expect: 200 },
    { as: 'ops1', method: 'GET', path: '/api/console/whereabouts/not-a-uuid', expect: 400 },
    { as: 'ops1', method: 'GET', path: `/api/console/whereabouts/${randomUUID()}`, expect: 404 },
    { as: 'buyer1', method: 'GET', path: `/api/console/whereabouts/${randomUUID()}`, expect: 403 },
    {
      as: 'ops1',
      method: 'POST',
      path: `/api/console/projections/search/parked/${propertyId}/replay`,
      expect: 404,
    },
    {
      as: 'ops1',
      method: 'POST',
      path: `/api/console/projections/nowhere/parked/${propertyId}/replay`,
      expect: 400,
    },
    {
      as: 'buyer1',
      method: 'POST',
      path: `/api/console/projections/search/parked/${propertyId}/replay`,
      expect: 403,
    },
    {
      as: 'ops1',
      method: 'POST',
      path: `/api/console/projections/search/parked/${propertyId}/replay`,
      headers: { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://attacker.example' },
      expect: 403,
    },
  ],
  title: [
    { as: 'registrar1', method: 'GET', path: `/titles/${propertyId}`, expect: 200 },
    { as: 'buyer1', method: 'GET', path: `/titles/${propertyId}`, expect: 403 },
    { as: 'registrar1', method: 'GET', path: '/titles/not%20an%20id', expect: 400 },
    {
      as: 'registrar1',
      method: 'PUT',
      path: `/titles/${propertyId}/liens/${lien}`,
      body: { reason: 'debt' },
      expect: 200,
    },
    { as: 'registrar1', method: 'PUT', path: `/titles/${propertyId}/liens/${lien}`, body: {}, expect: 400 },
    {
      as: 'buyer1',
      method: 'PUT',
      path: `/titles/${propertyId}/liens/${lien}`,
      body: { reason: 'x' },
      expect: 403,
    },
    { as: 'registrar1', method: 'DELETE', path: `/titles/${propertyId}/liens/${lien}`, expect: 204 },
    { as: 'registrar1', method: 'DELETE', path: `/titles/${propertyId}/liens/${lien}`, expect: 404 },
  ],
  people: [
    { as: 'anonymous', method: 'PUT', path: '/people/me', body: {}, expect: 401 },
    { as: 'registrar1', method: 'PUT', path: '/people/me', body: {}, expect: 400 },
    {
      as: 'registrar1',
      method: 'PUT',
      path: '/people/me',
      body: { name: 'Rita Registrar', email: 'rita@example.org', agency: 'Not an agent' },
      expect: 403,
    },
    {
      as: 'registrar1',
      method: 'PUT',
      path: '/people/me',
      body: { name: 'Rita Registrar', email: 'rita@example.org', phone: '+31 20 555 0101' },
      expect: [200, 201],
    },
    { as: 'registrar1', method: 'GET', path: '/people/{sub:registrar1}', expect: 200 },
    { as: 'anonymous', method: 'GET', path: '/people/{sub:registrar1}', expect: 404 },
    {
      as: 'agent1',
      method: 'PUT',
      path: '/people/me',
      body: { name: 'Anna Agent', email: 'anna.agent@example.org', agency: 'Grachten Makelaars' },
      expect: [200, 201],
    },
    { as: 'anonymous', method: 'GET', path: '/people/{sub:agent1}', expect: 200 },
    { as: 'buyer1', method: 'DELETE', path: '/people/{sub:registrar1}', expect: 403 },
    { as: 'anonymous', method: 'DELETE', path: '/people/{sub:registrar1}', expect: 401 },
    { as: 'ops1', method: 'DELETE', path: '/people/{sub:registrar1}', expect: 200 },
    { as: 'ops1', method: 'DELETE', path: '/people/{sub:registrar1}', expect: 410 },
    { as: 'registrar1', method: 'GET', path: '/people/{sub:registrar1}', expect: 410 },
    { as: 'ops1', method: 'DELETE', path: `/people/nobody-${id}`, expect: 404 },
    { as: 'anonymous', method: 'GET', path: `/people/nobody-${id}`, expect: 404 },
  ],
};

/** What every service serves ahead of its routes, open. */
const serviceSteps: Step[] = [
  { as: 'anonymous', method: 'GET', path: '/health/live', expect: 200 },
  { as: 'anonymous', method: 'GET', path: '/health/ready', expect: [200, 503] },
  { as: 'anonymous', method: 'GET', path: '/health', expect: [200, 503] },
  { as: 'anonymous', method: 'GET', path: '/metrics', expect: 200 },
  { as: 'anonymous', method: 'GET', path: '/openapi.json', expect: 200 },
  { as: 'anonymous', method: 'GET', path: '/docs', expect: 200 },
  { as: 'anonymous', method: 'GET', path: `/no-such-route-${id}`, expect: 404 },
];

const names = Object.keys(serviceCatalog) as ServiceName[];
const running = new Map<ServiceName, RunningService>();

beforeAll(async () => {
  // A purchase of an unknown offer is refused at once rather than after the usual wait.
  for (const [name, service] of await startEveryApi({ LOG_LEVEL: 'silent', OFFER_WAIT_MS: '0' })) {
    running.set(name, service);
  }
}, 120_000);

afterAll(async () => {
  for (const service of running.values()) await service.stop();
});

function urlOf(name: ServiceName): string {
  const service = running.get(name);
  if (!service) throw new Error(`${name} did not start`);
  return service.url;
}

/** Sends one step and checks its answer against the document the service serves; returns the operation it exercised. */
async function replay(baseUrl: string, given: Step): Promise<string | undefined> {
  const identity = given.as === 'anonymous' ? undefined : await localUser(given.as);
  const step = { ...given, path: await withSubjects(given.path) };
  const response = await fetch(`${baseUrl}${step.path}`, {
    method: step.method,
    headers: {
      ...(step.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(identity ? await identity.headers() : {}),
      ...step.headers,
    },
    ...(step.body === undefined ? {} : { body: JSON.stringify(step.body) }),
    // A redirect is the answer under test, not a page to follow.
    redirect: 'manual',
  });
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '');
  const body: unknown = text === '' ? undefined : json ? JSON.parse(text) : text;
  const request = `${step.as} ${step.method} ${step.path}`;
  expect({ request, status: response.status }).toEqual({
    request,
    status:
      Array.isArray(step.expect) && step.expect.includes(response.status) ? response.status : step.expect,
  });
  await expectServedDocumented(baseUrl, {
    method: step.method,
    url: step.path,
    status: response.status,
    headers: response.headers,
    body,
  });
  const document = await servedDocument(baseUrl);
  return operationFor(document, step.method, new URL(step.path, baseUrl).pathname)?.operation.operationId;
}

/** The path with every `{sub:<user>}` replaced by that local user's subject. */
async function withSubjects(path: string): Promise<string> {
  let resolved = path;
  for (const [placeholder, user] of path.matchAll(/\{sub:([a-z0-9]+)\}/g)) {
    resolved = resolved.replace(placeholder, encodeURIComponent((await localUser(user ?? '')).subject));
  }
  return resolved;
}

describe.each(names)('the %s API', (name) => {
  it('serves its own OpenAPI 3.1 document, and Swagger UI over it from local files', async () => {
    const document = await servedDocument(urlOf(name));
    expect(document).toEqual(
      JSON.parse(JSON.stringify(buildOpenApiDocument(serviceCatalog[name].api, '0.1.0'))),
    );
    const page = await fetch(`${urlOf(name)}/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets).toEqual([
      '/docs/assets/favicon-32x32.png',
      '/docs/assets/swagger-ui.css',
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/init.js',
    ]);
    for (const asset of assets) {
      const answer = await fetch(`${urlOf(name)}${asset}`);
      expect({ asset, status: answer.status }).toEqual({ asset, status: 200 });
      if (asset === '/docs/init.js') expect(await answer.text()).toContain("url: '/openapi.json'");
    }
  });

  it('answers a representative request of every operation as its document says', async () => {
    const exercised = new Set<string>();
    for (const step of [...serviceSteps, ...steps[name]]) {
      const operationId = await replay(urlOf(name), step);
      if (operationId) exercised.add(operationId);
    }
    const document = await servedDocument(urlOf(name));
    const documented = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(documented.filter((operationId) => !exercised.has(operationId))).toEqual([]);
  });
});
