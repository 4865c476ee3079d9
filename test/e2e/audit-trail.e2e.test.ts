import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { auditService, type AuditInternals } from '../../services/audit/audit-service';
import type { AuditConfig } from '../../services/audit/audit-config';
import type { AuditEntry, AuditPage } from '../../services/audit/api/audit-read';
import { startService, type RunningService } from '../../services/shared/service/start-service';
import { localUser } from '../support/identities';
import { jsonClient } from '../support/property-harness';
import { ended, startSagaHarness, type SagaHarness } from '../support/saga-harness';
import { waitFor } from '../support/wait-for';

const repoRoot = path.resolve(__dirname, '../..');

/** `npm run audit -- …` as a person runs it: its exit status and both outputs. */
function auditCli(args: string[]): { status: number; out: string; err: string } {
  const run = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), ['services/cli/audit.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status ?? -1, out: run.stdout, err: run.stderr };
}

let saga: SagaHarness;
let audit: RunningService<AuditConfig, AuditInternals>;

beforeAll(async () => {
  saga = await startSagaHarness();
  audit = await startService(auditService, { env: { ...process.env, LOG_LEVEL: 'silent' }, port: 0 });
}, 300_000);

afterAll(async () => {
  await audit?.stop();
  await saga?.close();
});

describe('the audit trail through the whole pipeline', () => {
  let transactionId: string;
  let propertyId: string;
  let buyer: string;

  it('records a purchase: every saga command and reply and the events they caused, with who and when', async () => {
    const terms = await saga.acceptedOffer(250_000, 300_000);
    ({ propertyId } = terms);
    buyer = terms.buyerId;
    transactionId = await saga.startPurchase(terms);
    expect(await saga.awaitPurchase(transactionId, ended, 60_000)).toMatchObject({ status: 'COMPLETED' });

    const compliance = jsonClient(audit.url, await localUser('compliance1'));
    let entries: AuditEntry[] = [];
    // The trail is written as the messages cross Kafka: the sale's event is among the last.
    await waitFor(
      () =>
        `PropertySold of purchase ${transactionId} in the audit trail (has ${entries.map((e) => e.type).join(', ')})`,
      async () => {
        const answer = await compliance('GET', `/audit?purchase=${transactionId}&limit=500`);
        entries = (answer.body as unknown as AuditPage).entries;
        return entries.some((e) => e.type === 'PropertySold');
      },
      { timeoutMs: 60_000, pollMs: 250 },
    );
    expect(entries.every((e) => e.purchaseId === transactionId)).toBe(true);
    // Commands to all four participants and their replies, in the order they occurred.
    const commands = entries.filter((e) => e.kind === 'command');
    expect(new Set(commands.map((e) => e.aggregateType))).toEqual(
      new Set(['property', 'payment', 'contract', 'title']),
    );
    expect(entries.filter((e) => e.kind === 'reply').length).toBeGreaterThanOrEqual(commands.length - 1);
    const sold = entries.find((e) => e.type === 'PropertySold');
    expect(sold).toMatchObject({
      kind: 'event',
      aggregateType: 'property',
      aggregateId: propertyId,
      topic: 'property.events',
    });
    const times = entries.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The property's own history, the offer and acceptance before the purchase included.
    const history = (
      await compliance('GET', `/audit?aggregateType=property&aggregateId=${propertyId}&kind=event`)
    ).body as unknown as AuditPage;
    expect(history.entries.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'PropertyListed',
        'OfferReceived',
        'OfferAccepted',
        'PropertyReserved',
        'PropertySold',
      ]),
    );
    // Who: the buyer made the offer with their own token.
    expect(history.entries.find((e) => e.type === 'OfferReceived')?.actor).toBe(buyer);
    // And the buyer's doings, by actor.
    const byBuyer = (await compliance('GET', `/audit?actor=${buyer}&kind=event`))
      .body as unknown as AuditPage;
    expect(byBuyer.entries.map((e) => e.type)).toContain('OfferReceived');
  }, 180_000);

  it('verifies every event store, and names an event edited behind the append-only trigger', async () => {
    expect(auditCli(['verify'])).toMatchObject({ status: 0, err: '' });
    const events = sql.id('property', 'events');
    const sold = await sql<{ version: number; event_id: string; payload: string }>`
      SELECT version, event_id, payload::text AS payload FROM ${events}
      WHERE stream_id = ${propertyId} AND event_type = 'PropertySold'`.execute(saga.owner);
    const { version, event_id: eventId, payload: original } = sold.rows[0]!;
    // What a superuser could do: lift the trigger, change what the sale says, put the trigger back.
    const setPayload = (payload: string) =>
      saga.owner.transaction().execute(async (trx) => {
        await sql`ALTER TABLE ${events} DISABLE TRIGGER events_append_only`.execute(trx);
        await sql`UPDATE ${events} SET payload = ${payload}::jsonb WHERE event_id = ${eventId}`.execute(trx);
        await sql`ALTER TABLE ${events} ENABLE TRIGGER events_append_only`.execute(trx);
      });
    const edited = JSON.stringify({
      ...(JSON.parse(original) as object),
      salePrice: { amountMinor: 100, currency: 'EUR' },
    });
    await setPayload(edited);
    try {
      const run = auditCli(['verify', '--schema', 'property']);
      expect(run.status).toBe(1);
      expect(run.out).toContain(`property: stream ${propertyId} version ${version} (event ${eventId}`);
      expect(run.out).toMatch(/changed after it was written/);
      expect(run.err.trim().split('\n')).toHaveLength(1);
    } finally {
      // Put back exactly what the event said (jsonb prints canonically), so the store verifies
      // again for everyone after this test.
      await setPayload(original);
    }
    expect(auditCli(['verify', '--schema', 'property'])).toMatchObject({ status: 0 });
  }, 120_000);
});
