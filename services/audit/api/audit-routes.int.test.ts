import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { auditMigrationsFor } from '../../../migrations/audit';
import { jsonClient } from '../../../test/support/property-harness';
import { localUser } from '../../../test/support/identities';
import { authConfig } from '../../shared/auth/auth-config';
import { createTokenVerifier } from '../../shared/auth/token-verifier';
import { createDatabase } from '../../shared/db/database';
import { createServiceApp } from '../../shared/http/service-app';
import { dropServiceSchema } from '../../shared/messaging/inbox';
import { createLogger } from '../../shared/observability/logger';
import { ServiceMetrics } from '../../shared/observability/metrics';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import type { AuditTables } from '../audit-tables';
import type { AuditRow } from '../recording/audit-entry';
import type { AuditPage } from './audit-read';
import { auditApi } from './audit-openapi';
import { auditRoutes } from './audit-routes';

// A trail of this file's own: the real one is append-only, and a test must leave nothing behind.
const schema = `it_audit_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const owner = createDatabase<unknown>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 2,
});
const db = owner.withSchema(schema) as unknown as Kysely<AuditTables>;

let entry = 0;
function row(overrides: Partial<AuditRow>): AuditRow {
  entry += 1;
  return {
    message_id: `m-${entry}`,
    kind: 'event',
    topic: 'property.events',
    kafka_partition: 0,
    kafka_offset: String(entry),
    aggregate_type: 'property',
    aggregate_id: 'p-1',
    sequence: entry,
    type: 'PropertyListed',
    actor: 'seller',
    correlation_id: `request-${entry}`,
    causation_id: null,
    occurred_at: new Date(Date.UTC(2026, 11, 1, 10, entry)).toISOString(),
    ...overrides,
  };
}

// A listing, then a purchase of it (tx-1): the saga's commands and replies, and the events they caused.
const trail: AuditRow[] = [
  row({ type: 'PropertyListed' }),
  row({ type: 'OfferReceived', actor: 'buyer' }),
  row({ type: 'OfferAccepted' }),
  row({
    kind: 'command',
    topic: 'property.commands',
    type: 'ReserveProperty',
    actor: 'buyer',
    correlation_id: 'tx-1',
    sequence: 1,
  }),
  row({ type: 'PropertyReserved', actor: 'buyer', correlation_id: 'tx-1', causation_id: 'm-4' }),
  row({
    kind: 'reply',
    topic: 'property.replies',
    aggregate_type: 'property',
    aggregate_id: 'tx-1',
    type: 'CommandSucceeded',
    actor: 'buyer',
    correlation_id: 'tx-1',
    sequence: 1,
  }),
  row({
    kind: 'command',
    topic: 'payment.commands',
    aggregate_type: 'payment',
    aggregate_id: 'buyer',
    type: 'TransferFunds',
    actor: 'buyer',
    correlation_id: 'tx-1',
    sequence: 2,
  }),
  row({ aggregate_id: 'p-2', type: 'PropertyListed', actor: 'agent' }),
];

let server: Server;
let base: string;
const as = async (who: string) => jsonClient(base, await localUser(who));

beforeAll(async () => {
  for (const migration of Object.values(auditMigrationsFor(schema))) await migration.up(owner);
  await db.insertInto('entries').values(trail).execute();
  const app = createServiceApp({
    logger: createLogger('audit-test', 'silent'),
    metrics: new ServiceMetrics('audit-test'),
    verifier: createTokenVerifier(authConfig()),
    readiness: async () => ({ ready: true, checks: {} }),
    details: async () => ({}),
    api: auditApi,
    routes: auditRoutes(db),
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await dropServiceSchema(owner, schema);
  await owner.destroy();
});

const typesOf = (page: AuditPage) => page.entries.map((e) => e.type);

describe('GET /audit', () => {
  it('answers a purchase: its saga messages and the events they caused, in order, each naming the purchase', async () => {
    const answer = await (await as('compliance1'))('GET', '/audit?purchase=tx-1');
    expect(answer.status).toBe(200);
    const page = answer.body as unknown as AuditPage;
    expect(typesOf(page)).toEqual([
      'ReserveProperty',
      'PropertyReserved',
      'CommandSucceeded',
      'TransferFunds',
    ]);
    expect(page.entries.every((e) => e.purchaseId === 'tx-1' && e.actor === 'buyer')).toBe(true);
    expect(page.entries.map((e) => e.kind)).toEqual(['command', 'event', 'reply', 'command']);
  });

  it('answers one aggregate’s history and one actor’s doings, outside purchases with no purchase id', async () => {
    const ops = await as('ops1');
    const property = (await ops('GET', '/audit?aggregateType=property&aggregateId=p-1&kind=event'))
      .body as unknown as AuditPage;
    expect(typesOf(property)).toEqual([
      'PropertyListed',
      'OfferReceived',
      'OfferAccepted',
      'PropertyReserved',
    ]);
    expect(property.entries[0]).toMatchObject({
      actor: 'seller',
      purchaseId: null,
      topic: 'property.events',
      partition: 0,
    });
    const agent = (await ops('GET', '/audit?actor=agent')).body as unknown as AuditPage;
    expect(agent.entries.map((e) => e.aggregateId)).toEqual(['p-2']);
  });

  it('pages in time order with a cursor, and limits by time range', async () => {
    const ops = await as('ops1');
    const first = (await ops('GET', '/audit?limit=3')).body as unknown as AuditPage;
    expect(first.entries.map((e) => e.messageId)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(first.nextCursor).not.toBeNull();
    const rest = (await ops('GET', `/audit?limit=10&cursor=${first.nextCursor}`))
      .body as unknown as AuditPage;
    expect(rest.entries.map((e) => e.messageId)).toEqual(['m-4', 'm-5', 'm-6', 'm-7', 'm-8']);
    expect(rest.nextCursor).toBeNull();
    const window = (await ops('GET', '/audit?from=2026-12-01T10:02:00Z&to=2026-12-01T10:04:00Z'))
      .body as unknown as AuditPage;
    expect(window.entries.map((e) => e.messageId)).toEqual(['m-2', 'm-3']);
  });

  it('is for compliance and ops only: no token is a 401, a buyer a 403 naming the rule', async () => {
    expect((await jsonClient(base)('GET', '/audit')).status).toBe(401);
    const refused = await (await as('buyer1'))('GET', '/audit?purchase=tx-1');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ rule: 'audit-compliance-or-ops' });
  });

  it('names every bad parameter in a 400', async () => {
    const answer = await (await as('ops1'))('GET', '/audit?from=yesterday&kind=rumour&limit=0&colour=red');
    expect(answer.status).toBe(400);
    const fields = (answer.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['query', 'query.from', 'query.kind', 'query.limit']);
  });
});
