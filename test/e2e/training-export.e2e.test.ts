import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ended, startSagaHarness, type SagaHarness } from '../support/saga-harness';

const repoRoot = path.resolve(__dirname, '../..');

/** `npm run export -- …` as a person runs it: its exit status and both outputs. */
function exportCli(args: string[]): { status: number; out: string; err: string } {
  const run = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), ['services/cli/export.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status ?? -1, out: run.stdout, err: run.stderr };
}

let saga: SagaHarness;
let dir: string;

beforeAll(async () => {
  saga = await startSagaHarness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deedstream-export-e2e-'));
}, 300_000);

afterAll(async () => {
  await saga?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the training export after a purchase through the whole pipeline', () => {
  it('exports the sale the saga completed, with the property as it was listed, readable by DuckDB', async () => {
    const from = new Date();
    const terms = await saga.acceptedOffer(310_000, 400_000);
    const id = await saga.startPurchase(terms);
    expect(await saga.awaitPurchase(id, ended)).toMatchObject({ status: 'COMPLETED' });

    const out = path.join(dir, 'sales.parquet');
    const run = exportCli(['sales', '--from', from.toISOString(), '--out', out]);
    expect(run).toMatchObject({ status: 0, err: '' });
    expect(run.out).toMatch(/^\d+ sales → .+sales\.parquet \(parquet\)\n$/);

    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const rows = (
        await duck.runAndReadAll(
          `SELECT transactionId, salePriceMinor, askingPriceMinor, bedrooms, offersReceived FROM read_parquet('${out}') WHERE propertyId = '${terms.propertyId}'`,
        )
      ).getRowObjectsJson();
      // The listing helper's features; the offer accepted at the asking price.
      expect(rows).toEqual([
        {
          transactionId: id,
          salePriceMinor: 310_000_00,
          askingPriceMinor: 310_000_00,
          bedrooms: 3,
          offersReceived: 1,
        },
      ]);
    } finally {
      duck.closeSync();
    }
  }, 300_000);

  it('refuses bad input in one line, exits non-zero and writes nothing', () => {
    const out = path.join(dir, 'refused.parquet');
    for (const args of [
      ['sales', '--out', path.join(dir, 'refused.xml')],
      ['listings', '--out', out],
      ['events', '--from', 'yesterday', '--out', out],
      ['events', '--from', '2026-02-01', '--to', '2026-01-01', '--out', out],
    ]) {
      const run = exportCli(args);
      expect(run.status).toBe(1);
      expect(run.err.trim().split('\n')).toHaveLength(1);
    }
    expect(fs.readdirSync(dir).filter((file) => file.startsWith('refused'))).toEqual([]);
  });
});
