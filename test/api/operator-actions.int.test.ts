import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { migrateAsOwner } from '../support/every-api';
import { contractService } from '../../services/contract/contract-service';
import { paymentService } from '../../services/payment/payment-service';
import type { InfrastructureConfig } from '../../services/shared/service/infrastructure';
import type { OperatorActionTables } from '../../services/shared/db/operator-actions';
import { startService } from '../../services/shared/service/start-service';
import type { ServiceDefinition } from '../../services/shared/service/service-definition';
import { tableSubset } from '../../services/shared/db/table-subset';
import type { MessagingTables } from '../../services/shared/messaging/messaging-tables';
import type { ParticipantInternals } from '../../services/shared/messaging/participant-service';
import { titleService } from '../../services/title/title-service';
import { freshUser, localUser } from '../support/identities';
import { jsonClient } from '../support/property-harness';

/**
 * Holds, liens and accounts are rows that change in place or go away; each change by a
 * person leaves who did it, when and under which correlation id in the service's own
 * operator_actions, written in the same transaction.
 */
const running: Array<{ stop(): Promise<void> }> = [];
const urls: Record<'contract' | 'title' | 'payment', string> = { contract: '', title: '', payment: '' };
const dbs = new Map<keyof typeof urls, Kysely<OperatorActionTables>>();
const operatorActionTables = tableSubset<OperatorActionTables>();

async function start<C extends InfrastructureConfig, DB extends OperatorActionTables & MessagingTables>(
  name: keyof typeof urls,
  definition: ServiceDefinition<C, ParticipantInternals<DB>>,
): Promise<void> {
  const started = await startService(definition, {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    port: 0,
    workers: false,
  });
  running.push(started);
  urls[name] = started.url;
  dbs.set(name, operatorActionTables(started.internals.db));
}

beforeAll(async () => {
  await migrateAsOwner();
  await start('contract', contractService);
  await start('title', titleService);
  await start('payment', paymentService);
}, 120_000);

afterAll(async () => {
  for (const service of running) await service.stop();
});

function fail(message: string): never {
  throw new Error(message);
}

const actionsOn = (service: keyof typeof urls, subject: string) =>
  (dbs.get(service) ?? fail(`${service} did not start`))
    .selectFrom('operator_actions')
    .select(['action', 'subject', 'detail', 'actor', 'correlation_id'])
    .where('subject', '=', subject)
    .orderBy('id')
    .execute();

it('records who placed and lifted a compliance hold', async () => {
  const compliance = await localUser('compliance1');
  const party = `party-${randomUUID()}`;
  const call = jsonClient(urls.contract, compliance);
  expect(
    (
      await call(
        'PUT',
        `/compliance-holds/${party}`,
        { reason: 'sanctions check' },
        { 'X-Correlation-Id': 'hold-1' },
      )
    ).status,
  ).toBe(200);
  expect(
    (await call('DELETE', `/compliance-holds/${party}`, undefined, { 'X-Correlation-Id': 'hold-2' })).status,
  ).toBe(204);
  expect((await call('DELETE', `/compliance-holds/${party}`)).status).toBe(404);
  expect(await actionsOn('contract', party)).toEqual([
    {
      action: 'compliance-hold-placed',
      subject: party,
      detail: { reason: 'sanctions check' },
      actor: compliance.subject,
      correlation_id: 'hold-1',
    },
    {
      action: 'compliance-hold-lifted',
      subject: party,
      detail: { reason: 'sanctions check' },
      actor: compliance.subject,
      correlation_id: 'hold-2',
    },
  ]);
});

it('records who recorded and lifted a lien, and a refused request records nothing', async () => {
  const registrar = await localUser('registrar1');
  const property = `property-${randomUUID()}`;
  const call = jsonClient(urls.title, registrar);
  expect(
    (
      await jsonClient(urls.title, await localUser('buyer1'))('PUT', `/titles/${property}/liens/l1`, {
        reason: 'x',
      })
    ).status,
  ).toBe(403);
  expect((await call('PUT', `/titles/${property}/liens/l1`, { reason: 'mortgage' })).status).toBe(200);
  expect((await call('DELETE', `/titles/${property}/liens/l1`)).status).toBe(204);
  expect(
    (await actionsOn('title', property)).map(({ action, detail, actor }) => ({ action, detail, actor })),
  ).toEqual([
    { action: 'lien-recorded', detail: { lienId: 'l1', reason: 'mortgage' }, actor: registrar.subject },
    { action: 'lien-lifted', detail: { lienId: 'l1', reason: 'mortgage' }, actor: registrar.subject },
  ]);
});

it('records who opened an account: the buyer, or ops with its opening balance', async () => {
  const buyer = await freshUser('buyer');
  const other = await freshUser('buyer');
  const ops = await localUser('ops1');
  expect((await jsonClient(urls.payment, buyer)('POST', '/accounts', { currency: 'EUR' })).status).toBe(201);
  expect(
    (
      await jsonClient(urls.payment, ops)('POST', '/accounts', {
        buyerId: other.subject,
        balance: { amount: 10, currency: 'EUR' },
      })
    ).status,
  ).toBe(201);
  expect((await jsonClient(urls.payment, buyer)('POST', '/accounts', { currency: 'EUR' })).status).toBe(409);
  expect(
    (await actionsOn('payment', buyer.subject)).map(({ action, detail, actor }) => ({
      action,
      detail,
      actor,
    })),
  ).toEqual([
    { action: 'account-opened', detail: { balance: { amount: 0, currency: 'EUR' } }, actor: buyer.subject },
  ]);
  expect((await actionsOn('payment', other.subject)).map(({ actor, detail }) => ({ actor, detail }))).toEqual(
    [{ actor: ops.subject, detail: { balance: { amount: 10, currency: 'EUR' } } }],
  );
});
