import { sql } from 'kysely';
import { createDatabase } from '../../services/shared/db/database';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { awaitCaughtUp } from '../support/caught-up';
import { CommandLoad, stopEveryLoad } from '../support/command-load';
import { awaitDelivered } from '../support/delivered';
import { localUser } from '../support/identities';
import { endOffsets } from '../support/pipeline';
import { awaitProjected, projectionDrift } from '../support/projections-clean';
import { purchaseOutcome, startPurchaseOverHttp } from '../support/purchases';
import { startSupervised, urlOf, type Supervised, stopEveryProcess } from '../support/service-processes';
import { waitFor } from '../support/wait-for';

let system: Supervised;
const db = createDatabase<unknown>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 2,
});

beforeAll(async () => {
  system = await startSupervised({
    only: ['property', 'search', 'analytics', 'transaction', 'payment', 'contract', 'title'],
    replicas: { property: 2 },
    env: { OFFER_WAIT_MS: '30000' },
  });
  await awaitCaughtUp();
}, 600_000);
afterAll(async () => {
  await stopEveryLoad();
  await system?.stop();
  await stopEveryProcess();
  await db.destroy();
});

describe('npm start supervises one process per service', () => {
  it('shows one pid per service process, replicas of property sharing its port', () => {
    const pids = system.pids();
    expect([...pids.keys()].sort()).toEqual(
      [
        'analytics',
        'contract',
        'payment',
        'property#1',
        'property#2',
        'search',
        'title',
        'transaction',
      ].sort(),
    );
    expect(new Set(pids.values()).size).toBe(pids.size);
  });

  it('kill -9 of a property replica: the other serves on, the supervisor restarts it, no accepted command is lost', async () => {
    const from = await endOffsets('property.events');
    const seller = await localUser('seller1');
    const load = new CommandLoad(urlOf('property'), 20, () => seller.headers());
    load.start();
    await waitFor('the load to get going', () => load.acceptedSince(0).length >= 40, 30_000);
    const oldPid = system.pids().get('property#1') as number;
    const killedAt = Date.now();
    process.kill(oldPid, 'SIGKILL');
    const newPid = await system.restarted('property#1', oldPid);
    const restartedAt = Date.now();
    await waitFor('commands after the restart', () => load.acceptedSince(restartedAt).length >= 40, 60_000);
    const report = await load.stop();

    expect(newPid).not.toBe(oldPid);
    expect(
      system.output.lines.some((l) => l.includes(`property#1 (pid ${oldPid}) was killed by SIGKILL`)),
    ).toBe(true);
    // Requests the killed process held lose their connection; nothing else may fail.
    const failed = report.outcomes.filter((o) => !o.accepted);
    expect(failed.filter((o) => !o.error)).toEqual([]);
    const delivery = await awaitDelivered('property.events', from, report.accepted);
    expect(delivery.missing).toEqual([]);
    await awaitProjected((id) => `${urlOf('search')}/search/properties/${id}`, report.accepted, 120_000);
    expect(
      (await projectionDrift(new Set(report.properties), ['property-search']))['property-search'],
    ).toEqual([]);
    console.log(
      `[fault: kill -9 property#1] restarted as pid ${newPid} ${((restartedAt - killedAt) / 1000).toFixed(1)} s later; ` +
        `${report.accepted.length} accepted, ${failed.length} connections cut (${[...new Set(failed.map((o) => o.error))].join('; ')}); lost ${delivery.missing.length}, delivered twice ${delivery.duplicates}`,
    );
  }, 300_000);

  it('kill -9 of the payment service mid-purchase: it is restarted, every purchase completes, no step is applied twice', async () => {
    const purchases = await Promise.all([1, 2, 3].map(() => startPurchaseOverHttp(200_000)));
    const oldPid = system.pids().get('payment') as number;
    process.kill(oldPid, 'SIGKILL');
    await system.restarted('payment', oldPid);
    const outcomes = await Promise.all(purchases.map((p) => purchaseOutcome(p.transactionId, p.buyer)));
    expect(outcomes.map((o) => o.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    for (const { transactionId, buyer } of purchases) {
      // One reply per command, and the money moved exactly once.
      const replies = await sql<{ causation_id: string; n: number }>`
        SELECT causation_id, count(*)::int AS n FROM payment.outbox WHERE correlation_id = ${transactionId}
        GROUP BY causation_id`.execute(db);
      expect(replies.rows.length).toBe(2);
      expect(replies.rows.every((r) => r.n === 1)).toBe(true);
      const account = await sql<{ balance_minor: string; reserved_minor: string }>`
        SELECT balance_minor::text, reserved_minor::text FROM payment.accounts WHERE buyer_id = ${buyer.subject}`.execute(
        db,
      );
      expect(account.rows[0]).toEqual({ balance_minor: '0', reserved_minor: '0' });
    }
  }, 300_000);
});
