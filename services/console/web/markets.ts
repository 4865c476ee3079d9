import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, queryOf } from './api';
import { Chart } from './chart';
import type { MarketReport } from './types';

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The analytics API as charts: active listings, median list and sale price, days on market, per day. */
export function Markets({ query }: { query: URLSearchParams }) {
  const city = query.get('city') ?? 'Amsterdam';
  const to = query.get('to') ?? day(new Date());
  const from = query.get('from') ?? day(new Date(Date.now() - 29 * 86_400_000));
  const postalCode = query.get('postalCode') ?? '';
  const [report, setReport] = useState<MarketReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    api<MarketReport>(
      `/api/analytics/markets/${encodeURIComponent(city)}${queryOf({ from, to, postalCode })}`,
    )
      .then((found) => current && setReport(found))
      .catch((e: unknown) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [city, from, to, postalCode]);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    for (const name of ['city', 'from', 'to', 'postalCode']) {
      const value = String(form.get(name) ?? '').trim();
      if (value !== '') next.set(name, value);
    }
    location.hash = `#/markets?${next.toString()}`;
  };

  const x = (report?.days ?? []).map((d) => Date.parse(`${d.day}T12:00:00Z`) / 1000);
  const price = (v: number) =>
    v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${Math.round(v / 1e3)}k` : String(v);
  return html`<h1>Markets</h1>
    <form class="filters" onSubmit=${submit} aria-label="Market" key=${query.toString()}>
      <label>City <input name="city" defaultValue=${city} required /></label>
      <label>From <input name="from" type="date" defaultValue=${from} /></label>
      <label>To <input name="to" type="date" defaultValue=${to} /></label>
      <label>Postal code <input name="postalCode" defaultValue=${postalCode} /></label>
      <div class="actions"><button type="submit">Show</button></div>
    </form>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${
      report &&
      html`<p class="muted">
          ${`${report.city}, ${report.from} – ${report.to}${report.currencies.length > 0 ? `; amounts in ${report.currencies.join(', ')}` : ''}`}
        </p>
        <div class="charts">
          <${Chart}
            title="Active listings"
            x=${x}
            series=${[{ label: 'active listings', values: report.days.map((d) => d.activeListings) }]}
          />
          <${Chart}
            title="Median list and sale price"
            x=${x}
            format=${price}
            series=${[
              { label: 'median list price', values: report.days.map((d) => d.medianListPrice) },
              { label: 'median sale price', values: report.days.map((d) => d.medianSalePrice) },
            ]}
          />
          <${Chart}
            title="Median days on market"
            x=${x}
            series=${[{ label: 'days on market', values: report.days.map((d) => d.medianDaysOnMarket) }]}
          />
        </div>`
    }`;
}
