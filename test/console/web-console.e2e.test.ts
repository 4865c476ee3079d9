import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { ParkedKeys } from '../../services/shared/projection/parked-keys';
import { chromiumPath, launchChromium } from '../support/chromium';
import { localUser } from '../support/identities';
import { jsonClient, listing, type Call } from '../support/property-harness';
import { startSupervised, stopEveryProcess, urlOf, type Supervised } from '../support/service-processes';
import { waitFor } from '../support/wait-for';
import { messageOf } from '../../services/shared/errors/message-of';
import { elasticsearchClient } from '../../services/shared/elasticsearch/elasticsearch-client';

/**
 * The web console in headless Chromium against the real stack: `npm start` (property,
 * search, analytics, valuation, audit and the console) on the test ports, data made through the
 * APIs, and each page driven as a user would. Screenshots of every page go to
 * test-output/console/.
 */
// First of all: without Chromium this file fails at once, with one line, before it starts anything.
const chromiumBinary = chromiumPath();
const screenshots = path.resolve(__dirname, '../../test-output/console');
const suffix = randomUUID().slice(0, 8);
const city = `Console-${suffix}`;
const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);

let started: Supervised;
let browser: Browser;
let page: Page;
let seller: Call;
const consoleErrors: string[] = [];

/** Lists a property in the test's own city; returns its id and the write's consistency token. */
async function list(overrides: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const created = await seller('POST', '/properties', {
    ...listing(),
    ...overrides,
    address: { ...listing().address, city, ...((overrides.address as object | undefined) ?? {}) },
  });
  expect(created.status).toBe(201);
  return { id: created.body.id as string, token: created.body.consistencyToken as string };
}

async function changePrice(id: string, amount: number): Promise<string> {
  const changed = await seller('POST', `/properties/${id}/price`, { price: { amount, currency: 'EUR' } });
  expect(changed.status).toBe(200);
  return changed.body.consistencyToken as string;
}

/** Waits until `service` (a read model) has applied the write a consistency token names. */
async function readable(
  service: 'search' | 'analytics' | 'valuation',
  id: string,
  token: string,
): Promise<void> {
  const paths = {
    search: `/search/properties/${id}`,
    analytics: `/analytics/properties/${id}`,
    valuation: `/valuations/${id}`,
  };
  await waitFor(
    `${service} to apply ${token}`,
    async () =>
      (await fetch(`${urlOf(service)}${paths[service]}`, { headers: { 'X-Consistency-Token': token } })).ok,
    30_000,
  );
}

/**
 * Waits (bounded, Playwright's timeout) for `locator` to show; on a timeout the error also
 * says what the page showed instead (an error banner, another count), and a screenshot of
 * it goes to test-output/console/failed-*.png.
 */
async function shown(locator: Locator): Promise<void> {
  try {
    await locator.waitFor();
  } catch (error) {
    await page
      .screenshot({ path: path.join(screenshots, `failed-${Date.now()}.png`) })
      .catch(() => undefined);
    const text = await page
      .locator('main')
      .innerText({ timeout: 2_000 })
      .catch(() => '(no main element)');
    throw new Error(`${messageOf(error)}\nthe page showed instead:\n${text.slice(0, 1_500)}`, {
      cause: error,
    });
  }
}

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `console-${name}.png`) });
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  browser = await launchChromium(chromiumBinary);
  started = await startSupervised({
    only: ['property', 'search', 'analytics', 'valuation', 'audit', 'console'],
  });
  seller = jsonClient(urlOf('property'), await localUser('seller1'));
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await started?.stop();
  await stopEveryProcess();
  await es.close();
});

describe('the web console', () => {
  let first: { id: string; token: string };

  it('signs in with the keyboard, then searches: filters, facets, map and cursor paging', async () => {
    first = await list({ price: { amount: 410_000, currency: 'EUR' }, type: 'apartment', bedrooms: 2 });
    const second = await list({
      price: { amount: 720_000, currency: 'EUR' },
      type: 'house',
      bedrooms: 4,
      address: { ...listing().address, city, street: 'Prinsengracht 2', lat: 52.37, lon: 4.89 },
    });
    await readable('search', first.id, first.token);
    await readable('search', second.id, second.token);

    // Signing in happens on the identity provider's page, and comes back to the console.
    await page.goto(urlOf('console'));
    await page.getByRole('link', { name: 'Sign in' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel(/Username/).fill('ops1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('deedstream');
    await page.keyboard.press('Enter');
    await shown(page.getByRole('heading', { name: 'Listings' }));
    expect(new URL(page.url()).origin).toBe(new URL(urlOf('console')).origin);

    await page.getByLabel('City').fill(city);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await shown(page.getByText('2 listings'));
    expect(await page.locator('table.hits tbody tr').count()).toBe(2);
    expect(await page.locator('svg.map a.pin').count()).toBe(2);
    expect(await page.locator('.facets').getByRole('button', { name: /house/ }).count()).toBe(1);
    await shoot('listings');

    // A facet narrows the search: houses only.
    await page.locator('.facets').getByRole('button', { name: /house/ }).click();
    await shown(page.getByText('1 listings'));
    await expect(page.locator('table.hits tbody tr td a').innerText()).resolves.toContain('Prinsengracht 2');

    // Paging by cursor: one per page, cheapest first.
    await page.goto(`${urlOf('console')}/#/listings?city=${city}&limit=1&sort=price`);
    await shown(page.getByText('2 listings'));
    await expect(page.locator('table.hits tbody tr td a').innerText()).resolves.toContain('Keizersgracht');
    await page.getByRole('button', { name: 'Next page' }).click();
    await shown(page.locator('table.hits tbody tr td a', { hasText: 'Prinsengracht 2' }));
  });

  it('opens a listing with its valuation and travels back to an earlier version', async () => {
    const token = await changePrice(first.id, 395_000);
    await readable('search', first.id, token);
    // Not only for the panel: a 404 or 503 answer would be a console error the last test refuses.
    await readable('valuation', first.id, token);
    await page.goto(`${urlOf('console')}/#/listings?city=${city}&sort=price`);
    await page
      .getByRole('link', { name: /Keizersgracht/ })
      .first()
      .click();
    await shown(page.locator('table.events tbody tr').nth(1));
    await expect(page.locator('dl.state .price').innerText()).resolves.toMatch(/395,000/);

    // The test's city has no sales: the honest answer is "not enough"; with sales, an estimate.
    const valuation = page.getByRole('region', { name: 'Valuation' });
    await shown(valuation.locator('.estimate, .insufficient'));
    await expect(valuation.innerText()).resolves.toMatch(
      /Estimate\s+€[\d,]+\s+80% band\s+€[\d,]+ – €[\d,]+|Not enough comparable sales to estimate a value: \d+ found, \d+ needed\./,
    );
    await expect(valuation.locator('dd.trend').innerText()).resolves.toMatch(
      /^(flat: not enough history|[+−-]?[\d.]+% a year) \(/,
    );
    // Every comparable in the table is a pin on the map around the listing.
    const comparables = await valuation.locator('table.comparables tbody tr').count();
    expect(await valuation.locator('svg.map a.pin').count()).toBe(comparables);
    if (comparables > 0) expect(await valuation.locator('svg.map g.subject').count()).toBe(1);

    await page.locator('select[name="version"]').selectOption('1');
    await shown(page.locator('dl.state[data-version="1"]'));
    await expect(page.locator('dl.state .price').innerText()).resolves.toMatch(/410,000/);
    await shoot('listing');
  });

  it('charts a market with data', async () => {
    const latest = await list({ price: { amount: 500_000, currency: 'EUR' } });
    await readable('analytics', latest.id, latest.token);
    await page.goto(`${urlOf('console')}/#/markets?city=${city}`);
    const active = page.locator('figure.chart', { hasText: 'Active listings' });
    await active.locator('canvas').waitFor();
    await waitFor(
      'the active listings chart to show 3 listings',
      async () => Number(await active.getAttribute('data-max')) >= 3,
    );
    await shoot('markets');
  });

  it('shows where a just-made price change is, until every read model has caught up', async () => {
    const { id } = await list({});
    await changePrice(id, 640_000);
    await page.goto(`${urlOf('console')}/#/pipeline`);
    await page.getByLabel('Property id').fill(id);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('[data-settled="yes"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('.whereabouts .version').innerText()).resolves.toBe('2');
    await expect(page.locator('.whereabouts .kafka').innerText()).resolves.toMatch(
      /property\.events partition \d+, offset \d+, timestamp .+ after the commit/,
    );
    for (const model of ['search', 'analytics']) {
      await expect(page.locator(`tr[data-read-model="${model}"]`).innerText()).resolves.toMatch(
        /2\s+caught up/,
      );
    }
    await shown(page.locator('table.relays tr[data-connector="outbox-relay"]'));
    await shown(page.locator('figure.chart canvas'));
    // The sample feed is configured by default: it shows, with zeros until files are dropped.
    await shown(
      page.getByRole('region', { name: 'Listing feeds' }).locator('tbody[data-source="sample_mls"]'),
    );
    await shoot('pipeline');
  });

  it("shows a listing's audit trail: who listed it, linked to the listing", async () => {
    await page.goto(
      `${urlOf('console')}/#/audit?aggregateType=property&aggregateId=${encodeURIComponent(first.id)}`,
    );
    const listed = page.locator('table.audit tbody tr', { hasText: 'PropertyListed' });
    // The audit recorder consumes property.events like any consumer: the entry arrives
    // shortly after the commit, so the page is asked again (Refresh) until it has.
    await waitFor(
      'PropertyListed of the first listing on the Audit page',
      async () => {
        if ((await listed.count()) > 0) return true;
        await page.getByRole('button', { name: 'Refresh' }).click();
        return false;
      },
      { timeoutMs: 60_000, pollMs: 1_000 },
    );
    await shown(listed);
    await expect(listed.locator('td.actor').innerText()).resolves.toBe((await localUser('seller1')).subject);
    await expect(listed.getByRole('link').getAttribute('href')).resolves.toBe(`#/listings/${first.id}`);
    await shoot('audit');
  });

  it('replays a parked message from the Pipeline page', async () => {
    const { id, token } = await list({});
    await readable('search', id, token);
    // The failure itself is simulated by parking the key as the projector does on a poison
    // message; the real projector then parks the next event behind it, which replay re-drives.
    await new ParkedKeys(es, 'property-search').park(id, 'injected by the console e2e test', 0);
    const parkedChange = await changePrice(id, 610_000);
    const ops = await localUser('ops1');
    await waitFor(
      'the price change to be parked behind the key',
      async () => {
        const status = (await (
          await fetch(`${urlOf('search')}/ops/projection`, { headers: await ops.headers() })
        ).json()) as {
          parked: Array<{ aggregateId: string; messages: unknown[] }>;
        };
        return (status.parked.find((p) => p.aggregateId === id)?.messages.length ?? 0) >= 1;
      },
      30_000,
    );

    await page.goto(`${urlOf('console')}/#/pipeline`);
    const row = page.locator(`table.parked tr[data-aggregate="${id}"]`);
    await row.getByRole('button', { name: 'Replay' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`${id}: replayed 1 message(s); unparked`).waitFor({ timeout: 30_000 });
    await readable('search', id, parkedChange);
    await shoot('pipeline-replayed');
    expect(consoleErrors).toEqual([]);
  });
});
