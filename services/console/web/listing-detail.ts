import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, money, when } from './api';
import type { PropertyEvent, PropertyState } from './types';
import { readValuation, ValuationPanel, type ValuationRead } from './valuation-panel';

/** A listing: its state now or at a chosen version (time travel), its valuation, and its event history. */
export function ListingDetail({ id, query }: { id: string; query: URLSearchParams }) {
  const [events, setEvents] = useState<PropertyEvent[] | null>(null);
  const [state, setState] = useState<PropertyState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [valuation, setValuation] = useState<ValuationRead>({ state: 'loading' });
  const version = query.get('version');
  const base = `/api/property/properties/${encodeURIComponent(id)}`;

  useEffect(() => {
    let current = true;
    const all: PropertyEvent[] = [];
    const page = async (after: number): Promise<void> => {
      const found = await api<{ events: PropertyEvent[]; next: string | null }>(
        `${base}/events?after=${after}&limit=500`,
      );
      all.push(...found.events);
      const last = found.events[found.events.length - 1];
      if (found.next && last && all.length < 5_000) await page(last.version);
    };
    page(0)
      .then(() => current && setEvents(all))
      .catch((e: unknown) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [id]);

  useEffect(() => {
    let current = true;
    setError(null);
    api<PropertyState>(version ? `${base}?version=${encodeURIComponent(version)}` : base)
      .then((found) => current && setState(found))
      .catch((e: unknown) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [id, version]);

  // The valuation is of the listing now, so time travel does not fetch it again.
  useEffect(() => {
    let current = true;
    setValuation({ state: 'loading' });
    void readValuation(id).then((read) => current && setValuation(read));
    return () => {
      current = false;
    };
  }, [id]);

  const travel = (to: string) => {
    location.hash = `#/listings/${encodeURIComponent(id)}${to === '' ? '' : `?version=${to}`}`;
  };
  const latest = events?.[events.length - 1]?.version;

  return html`<p><a href="#/listings">← Listings</a></p>
    <h1>${state ? `${state.address.street}, ${state.address.city}` : 'Listing'}</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    <section class="time-travel" aria-label="Time travel">
      <label
        >Version
        <select
          name="version"
          value=${version ?? ''}
          onChange=${(e: Event) => travel((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">latest${latest ? ` (v${latest})` : ''}</option>
          ${(events ?? []).map(
            (event) =>
              html`<option value=${String(event.version)} selected=${version === String(event.version)}>
                v${event.version} · ${event.type} · ${when(event.occurredAt)}
              </option>`,
          )}
        </select>
      </label>
      ${version && html`<button type="button" onClick=${() => travel('')}>Back to now</button>`}
      <p class="muted" aria-live="polite">
        ${version ? `The listing as it was at version ${version} (folded from the event store).` : 'The listing now.'}
      </p>
    </section>
    ${
      state &&
      html`<dl class="state" data-version=${state.version}>
        <dt>Version</dt>
        <dd>${state.version}</dd>
        <dt>Status</dt>
        <dd>${state.status}</dd>
        <dt>Price</dt>
        <dd class="price">${money(state.price.amount, state.price.currency)}</dd>
        <dt>Address</dt>
        <dd>
          ${`${state.address.street}, ${state.address.postalCode} ${state.address.city}, ${state.address.region}, ${state.address.country}`}
        </dd>
        <dt>Type</dt>
        <dd>${state.type}, ${state.bedrooms} bedrooms, ${state.bathrooms} bathrooms, ${state.areaSqm} m²</dd>
        <dt>Listed</dt>
        <dd>${when(state.listedAt)}</dd>
        <dt>Price changes</dt>
        <dd>${state.priceChangeCount}</dd>
        <dt>Offers</dt>
        <dd>
          ${state.offers.length === 0 ? 'none' : state.offers.map((o) => `${money(o.amount.amount, o.amount.currency)} (${o.status})`).join(', ')}
        </dd>
        <dt>Description</dt>
        <dd>${state.description ?? '—'}</dd>
      </dl>`
    }
    <${ValuationPanel} read=${valuation} />
    <h2>Event history</h2>
    <table class="events">
      <thead>
        <tr>
          <th>Version</th>
          <th>Event</th>
          <th>When</th>
          <th>Data</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${(events ?? []).map(
          (event) =>
            html`<tr class=${version === String(event.version) ? 'current' : ''}>
              <td>${event.version}</td>
              <td>${event.type}</td>
              <td>${when(event.occurredAt)}</td>
              <td><code>${JSON.stringify(event.data)}</code></td>
              <td>
                <button
                  type="button"
                  onClick=${() => travel(String(event.version))}
                  aria-label=${`See the listing at version ${event.version}`}
                >
                  See then
                </button>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
