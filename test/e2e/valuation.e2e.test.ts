import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { z } from 'zod';
import { startService, type RunningService } from '../../services/shared/service/start-service';
import type { valuationJson } from '../../services/valuation/api/response-schemas';
import type { ValuationConfig } from '../../services/valuation/valuation-config';
import { valuationService } from '../../services/valuation/valuation-service';
import type { ReadModelInternals } from '../../services/shared/projection/read-model-service';
import type { ValuationPropertyDocument } from '../../services/valuation/projections/valuation-property-document';
import { listing } from '../support/property-harness';
import { ended, startSagaHarness, type SagaHarness } from '../support/saga-harness';
import { waitFor } from '../support/wait-for';

type Valuation = z.output<typeof valuationJson>;
const repoRoot = path.resolve(__dirname, '../..');

/** `npm run valuation -- …` as a person runs it: its exit status and both outputs. */
function valuationCli(args: string[]): { status: number; out: string; err: string } {
  const run = spawnSync(
    path.join(repoRoot, 'node_modules/.bin/tsx'),
    ['services/cli/valuation.ts', ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { status: run.status ?? -1, out: run.stdout, err: run.stderr };
}

// A market of this run's own, far from every other test's listings: no sale of theirs is
// within the valuation radius, and its city name is unique.
const run = randomUUID().slice(0, 8);
const city = `Waardeburg-${run}`;
const centre = { lat: 40 + Math.random() * 10, lon: -40 + Math.random() * 10 };
const near = (i: number) => ({
  address: {
    street: `Taxatieweg ${i}`,
    city,
    postalCode: '9999 ZZ',
    region: 'Test',
    country: 'NL',
    lat: centre.lat + i * 0.001,
    lon: centre.lon,
  },
  areaSqm: 100,
  bedrooms: 3,
  bathrooms: 1,
  type: 'house',
});

let saga: SagaHarness;
let valuation: RunningService<ValuationConfig, ReadModelInternals<ValuationPropertyDocument>>;

beforeAll(async () => {
  saga = await startSagaHarness();
  valuation = await startService(valuationService, {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    port: 0,
  });
}, 300_000);

afterAll(async () => {
  await valuation?.stop();
  await saga?.close();
});

async function valuationOf(id: string, consistencyToken?: string): Promise<Valuation> {
  const response = await fetch(`${valuation.url}/valuations/${id}`, {
    headers: consistencyToken ? { 'X-Consistency-Token': consistencyToken } : {},
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Valuation;
}

describe('automated valuation through the whole pipeline', () => {
  it('has not enough comparables in a market without sales, then values a listing from the sales the saga completed', async () => {
    const listed = await saga.api.property(
      'POST',
      '/properties',
      listing({ ...near(0), areaSqm: 120, price: { amount: 640_000, currency: 'EUR' } }),
    );
    expect(listed.status).toBe(201);
    const subjectId = listed.body.id as string;
    const before = await valuationOf(subjectId, listed.body.consistencyToken as string);
    expect(before).toMatchObject({ outcome: 'insufficient-comparables', estimate: null, sampleSize: 0 });

    // Three sales next door, 100 m² each at 4,900, 5,000 and 5,100 per m², bought through the saga.
    const prices = [490_000, 500_000, 510_000];
    const purchases = await Promise.all(
      prices.map(async (price, i) => {
        const terms = await saga.acceptedOffer(price, price + 1_000, near(i + 1));
        return { propertyId: terms.propertyId, transactionId: await saga.startPurchase(terms) };
      }),
    );
    for (const { transactionId } of purchases)
      expect(await saga.awaitPurchase(transactionId, ended, 60_000)).toMatchObject({ status: 'COMPLETED' });

    // The sales reach the valuation read model through the relay and Kafka.
    let after = before;
    await waitFor(
      () => `the three sales in the valuation of ${subjectId} (has ${after.sampleSize})`,
      async () => (after = await valuationOf(subjectId)).sampleSize === 3,
      { timeoutMs: 60_000, pollMs: 250 },
    );
    expect(after.outcome).toBe('estimated');
    expect(after.comparables.map((c) => c.id).sort()).toEqual(purchases.map((p) => p.propertyId).sort());
    // A geometric mean of about 5,000 per m² times 120 m².
    expect(after.estimate).toEqual({ amount: 600_000, currency: 'EUR' });
    expect(after.band!.low.amount).toBeLessThan(600_000);
    expect(after.band!.high.amount).toBeGreaterThan(600_000);

    // The backtest values each of those sales from the ones before it only: the first had none.
    const backtest = valuationCli(['backtest', '--city', city, '--json']);
    expect(backtest).toMatchObject({ status: 0, err: '' });
    expect(JSON.parse(backtest.out)).toMatchObject({ sales: 3, estimated: 0, insufficientComparables: 3 });
  }, 300_000);

  it('refuses an unknown command and a city without sales in one line, exiting non-zero', () => {
    for (const args of [['forecast'], ['backtest', '--city', `Nowhere-${run}`]]) {
      const result = valuationCli(args);
      expect(result.status).toBe(1);
      expect(result.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
