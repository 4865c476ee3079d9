import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { PropertyEvent } from '../../property/published';
import { createDatabase } from '../../shared/db/database';
import { FieldCipher } from '../../shared/privacy/field-cipher';
import { PostgresKeyStore } from '../../shared/privacy/postgres-key-store';
import { masterKeyOf, privacyConfig } from '../../shared/privacy/privacy-config';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { startPropertyService, type PropertyHarness } from '../../../test/support/property-harness';
import { runExport, type ExportRequest, type ExportSource } from './run-export';

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const context = { correlationId: randomUUID(), causationId: null, traceparent: null, actor: 'export-test' };
const keysDb = createDatabase<unknown>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 1,
});
// A key store of its own, uncached, as the export CLI reads keys: an erasure shows at once.
const keys = new PostgresKeyStore(keysDb, masterKeyOf(privacyConfig()));
const cipher = new FieldCipher(keys);

let api: PropertyHarness;
let dir: string;
let duck: DuckDBConnection;
let source: ExportSource;

beforeAll(async () => {
  api = await startPropertyService();
  source = { readAll: (after, limit) => api.service.store.readAll(after, limit), cipher };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deedstream-export-'));
  // An independent reader of what the export wrote: DuckDB's own Parquet reader.
  duck = await (await DuckDBInstance.create(':memory:')).connect();
}, 120_000);

afterAll(async () => {
  duck.closeSync();
  await api.close();
  await keysDb.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  return (await duck.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
}

/** Two properties: one listed by an agent who is then erased, reworked and repriced, then sold; one only listed. */
async function twoProperties(): Promise<{ sold: string; unsold: string }> {
  const agentId = `agent-${randomUUID()}`;
  await keys.ensureKey(agentId);
  const listed = async (agent: boolean): Promise<PropertyEvent> => ({
    type: 'PropertyListed',
    data: {
      address: {
        street: 'Prinsengracht 2',
        city: 'Amsterdam',
        postalCode: '1015 DV',
        region: 'NH',
        country: 'NL',
        lat: 52.37,
        lon: 4.88,
      },
      price: eur(600_000_00),
      bedrooms: 2,
      bathrooms: 1,
      areaSqm: 80,
      propertyType: 'apartment',
      description: null,
      listedAt: new Date().toISOString(),
      ownerId: 'seller1',
      listingAgent: agent
        ? {
            agentId,
            name: await cipher.encrypt(agentId, 'name', 'Anna Agent'),
            email: await cipher.encrypt(agentId, 'email', 'anna@example.com'),
            phone: null,
            agency: 'Canal Homes',
          }
        : null,
    },
  });
  const [sold, unsold] = [randomUUID(), randomUUID()];
  await api.service.store.append(
    sold,
    0,
    [
      await listed(true),
      {
        type: 'PropertyDetailsUpdated',
        data: {
          address: null,
          bedrooms: 3,
          bathrooms: null,
          areaSqm: 95,
          propertyType: null,
          description: null,
        },
      },
      { type: 'PriceChanged', data: { previousPrice: eur(600_000_00), newPrice: eur(580_000_00) } },
      {
        type: 'PropertySold',
        data: {
          transactionId: randomUUID(),
          offerId: randomUUID(),
          buyerId: 'buyer1',
          salePrice: eur(575_000_00),
        },
      },
    ],
    context,
  );
  await api.service.store.append(unsold, 0, [await listed(false)], context);
  await keys.destroySubject(agentId);
  return { sold, unsold };
}

describe('npm run export (property event store → Parquet and JSON Lines)', () => {
  let window: Pick<ExportRequest, 'from' | 'to'>;
  let ids: { sold: string; unsold: string };

  beforeAll(async () => {
    const from = new Date();
    ids = await twoProperties();
    window = { from, to: new Date(Date.now() + 1_000) };
  });

  it('writes every event of the window at its newest schema, the erased agent absent', async () => {
    const out = path.join(dir, 'events.parquet');
    const { rows } = await runExport(source, { kind: 'events', ...window, format: 'parquet', out });
    const found = await query(
      `SELECT propertyId, version, type, occurredAt, data FROM read_parquet('${out}') ORDER BY propertyId = '${ids.unsold}', version`,
    );
    expect(rows).toBe(found.length);
    expect(
      found.map((row) => `${row.propertyId === ids.sold ? 'sold' : 'unsold'}@${row.version}:${row.type}`),
    ).toEqual([
      'sold@1:PropertyListed',
      'sold@2:PropertyDetailsUpdated',
      'sold@3:PriceChanged',
      'sold@4:PropertySold',
      'unsold@1:PropertyListed',
    ]);
    const listing = JSON.parse(String(found[0]!.data)) as {
      ownerId: string;
      listingAgent: Record<string, unknown>;
    };
    expect(listing.ownerId).toBe('seller1'); // v2 fields present
    expect(listing.listingAgent).toEqual(expect.objectContaining({ name: null, agency: null, erased: true }));
    expect(String(found[0]!.data)).not.toMatch(/anna|ciphertext|email/i);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });

  it('writes one row per sale with the property as it was when it sold', async () => {
    const out = path.join(dir, 'sales.parquet');
    await runExport(source, { kind: 'sales', ...window, format: 'parquet', out });
    const [sale, ...others] = await query(
      `SELECT propertyId, bedrooms, areaSqm, askingPriceMinor, salePriceMinor, priceChanges, city FROM read_parquet('${out}')`,
    );
    expect(others).toEqual([]);
    expect(sale).toEqual({
      propertyId: ids.sold,
      bedrooms: 3,
      areaSqm: 95,
      askingPriceMinor: 580_000_00,
      salePriceMinor: 575_000_00,
      priceChanges: 1,
      city: 'Amsterdam',
    });
  });

  it('writes JSON Lines with the payload as an object, and nothing outside the window', async () => {
    const out = path.join(dir, 'events.jsonl');
    await runExport(source, {
      kind: 'events',
      from: window.to,
      to: new Date(window.to.getTime() + 60_000),
      format: 'jsonl',
      out,
    });
    expect(fs.readFileSync(out, 'utf8')).toBe('');
    await runExport(source, { kind: 'events', ...window, format: 'jsonl', out });
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: { bedrooms?: number } });
    expect(lines.map((line) => line.type)).toContain('PropertyDetailsUpdated');
    expect(lines.find((line) => line.type === 'PropertyDetailsUpdated')?.data.bedrooms).toBe(3);
  });
});
