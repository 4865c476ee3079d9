import { html } from 'htm/preact';
import { api, ApiError, money, when } from './api';
import { GeoMap, type MapLegendEntry, type MapPoint, type MapSubject } from './geo-map';
import type { Comparable, Valuation } from './types';

/** The valuation as the listing detail holds it: on its way, there, or why it is not. */
export type ValuationRead =
  { state: 'loading' } | { state: 'found'; valuation: Valuation } | { state: 'unavailable'; reason: string };

/**
 * The valuation service's answer for a listing. It never rejects: a valuation that cannot be
 * had (read model not ready, listing not valued yet, service down) becomes one line in the
 * panel, so the rest of the listing detail stands.
 */
export async function readValuation(propertyId: string): Promise<ValuationRead> {
  try {
    const valuation = await api<Valuation>(`/api/valuation/valuations/${encodeURIComponent(propertyId)}`);
    return { state: 'found', valuation };
  } catch (error) {
    return { state: 'unavailable', reason: reasonOf(error) };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof ApiError && error.status === 503)
    return 'No valuation yet: the valuation service is not ready; try again shortly.';
  // The valuation read model learns of a listing from the event stream, a moment after it is made.
  if (error instanceof ApiError && error.status === 404)
    return 'No valuation yet: the valuation service has not seen this listing.';
  return `No valuation: ${error instanceof Error ? error.message : String(error)}`;
}

const percent = (fraction: number, signed = false) =>
  new Intl.NumberFormat('en', {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(fraction);
const perSqm = (amount: number, currency: string) => `${money(amount, currency)}/m²`;
const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB');
const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** How prices per m² in the city move, or why the valuation takes them as flat. */
function trendText({ marketTrend: trend, subject }: Valuation): string {
  const basis = `${counted(trend.months, 'month')}, ${counted(trend.sales, 'sale')} in ${subject.city}`;
  return trend.fitted
    ? `${percent(trend.annualChange, true)} a year (fitted on ${basis})`
    : `flat: not enough history (${basis})`;
}

/** The asking price, and how far it is from the estimate when both are in one currency. */
function askingText({ subject, estimate }: Valuation): string | null {
  const asking = subject.askingPrice;
  if (!asking) return null;
  const shown = money(asking.amount, asking.currency);
  if (!estimate || estimate.currency !== asking.currency || estimate.amount === 0) return shown;
  const off = asking.amount / estimate.amount - 1;
  if (off === 0) return `${shown} (the estimate)`;
  return `${shown} (${percent(Math.abs(off))} ${off > 0 ? 'above' : 'below'} the estimate)`;
}

/** A listing's automated valuation: the estimate and its band, the market trend, and the sales it rests on. */
export function ValuationPanel({ read }: { read: ValuationRead }) {
  return html`<section
    class="valuation"
    aria-labelledby="valuation-heading"
    data-outcome=${read.state === 'found' ? read.valuation.outcome : read.state}
  >
    <h2 id="valuation-heading">Valuation</h2>
    ${read.state === 'loading' && html`<p class="muted">Valuing…</p>`}
    ${read.state === 'unavailable' && html`<p class="muted" role="status">${read.reason}</p>`}
    ${read.state === 'found' && html`<${ValuationFound} valuation=${read.valuation} />`}
  </section>`;
}

function ValuationFound({ valuation }: { valuation: Valuation }) {
  const { estimate, band, pricePerSqm } = valuation;
  const asking = askingText(valuation);
  return html`<p class="muted">
      ${`Sales comparison as of ${when(valuation.asOf)}: the listing now, whichever version is shown above.`}
    </p>
    ${
      valuation.outcome === 'insufficient-comparables' &&
      html`<p class="insufficient">
        ${`Not enough comparable sales to estimate a value: ${valuation.sampleSize} found, ${valuation.minimumSample} needed.`}
      </p>`
    }
    <dl class="figures">
      ${
        estimate &&
        html`<dt>Estimate</dt>
          <dd class="estimate">${money(estimate.amount, estimate.currency)}</dd>`
      }
      ${
        band &&
        html`<dt>${`${percent(band.confidence)} band`}</dt>
          <dd class="band">
            ${`${money(band.low.amount, band.low.currency)} – ${money(band.high.amount, band.high.currency)}`}
          </dd>`
      }
      ${
        asking &&
        html`<dt>Asking price</dt>
          <dd>${asking}</dd>`
      }
      ${
        estimate &&
        pricePerSqm !== null &&
        html`<dt>Price per m²</dt>
          <dd>${perSqm(pricePerSqm, estimate.currency)}</dd>`
      }
      ${
        // Without an estimate the sentence above already gives the sample and the minimum.
        valuation.outcome === 'estimated' &&
        html`<dt>Sample</dt>
          <dd>
            ${`${counted(valuation.sampleSize, 'comparable sale')} (at least ${valuation.minimumSample} needed)`}
          </dd>`
      }
      <dt>Market trend</dt>
      <dd class="trend">${trendText(valuation)}</dd>
    </dl>
    ${valuation.comparables.length > 0 && html`<${Comparables} valuation=${valuation} />`}`;
}

/** The comparable sales on a map around the listing, and in a table. */
function Comparables({ valuation }: { valuation: Valuation }) {
  const { comparables, subject } = valuation;
  const hrefOf = (sale: Comparable) => `#/listings/${encodeURIComponent(sale.id)}`;
  const points: MapPoint[] = comparables.map((sale) => ({
    id: sale.id,
    lat: sale.location.lat,
    lon: sale.location.lon,
    label: `${sale.street}, sold ${day(sale.soldAt)} for ${money(sale.salePrice.amount, sale.salePrice.currency)}`,
    href: hrefOf(sale),
  }));
  const listing: MapSubject = { ...subject.location, label: 'This listing' };
  const legend: MapLegendEntry[] = [
    { marker: 'subject', text: 'This listing' },
    { marker: 'pin', text: 'A comparable sale (opens that property)' },
  ];
  return html`<h3>Comparable sales</h3>
    <div class="results">
      <${GeoMap}
        points=${points}
        subject=${listing}
        label=${`Map of this listing and its ${counted(comparables.length, 'comparable sale')}`}
        legend=${legend}
      />
      <table class="comparables">
        <thead>
          <tr>
            <th>Street</th>
            <th>City</th>
            <th>Sold</th>
            <th>Price</th>
            <th>Area</th>
            <th>Per m² today</th>
            <th>Distance</th>
            <th>Weight</th>
          </tr>
        </thead>
        <tbody>
          ${comparables.map(
            (sale) =>
              html`<tr data-id=${sale.id}>
                <td><a href=${hrefOf(sale)}>${sale.street}</a></td>
                <td>${sale.city}</td>
                <td>${day(sale.soldAt)}</td>
                <td>${money(sale.salePrice.amount, sale.salePrice.currency)}</td>
                <td>${`${sale.areaSqm} m²`}</td>
                <td
                  title=${`${perSqm(sale.pricePerSqm, sale.salePrice.currency)} when sold, moved along the market trend`}
                >
                  ${perSqm(sale.adjustedPricePerSqm, sale.salePrice.currency)}
                </td>
                <td>${`${sale.distanceKm.toLocaleString('en', { maximumFractionDigits: 2 })} km`}</td>
                <td>${percent(sale.weight)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}
