import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, money } from './api';
import { GeoMap } from './geo-map';
import type { SearchResult } from './types';

const statuses = ['listed', 'reserved', 'sold', 'withdrawn'];
const types = ['house', 'apartment', 'condo', 'townhouse', 'land', 'commercial'];
const sorts = ['-listedAt', 'listedAt', 'price', '-price', 'relevance', 'distance'];
/** Every filter of GET /search/properties, as the page keeps them in its hash. */
const textFilters = [
  ['q', 'Text'],
  ['city', 'City'],
  ['minPrice', 'Min price'],
  ['maxPrice', 'Max price'],
  ['currency', 'Currency'],
  ['minBedrooms', 'Min bedrooms'],
  ['minBathrooms', 'Min bathrooms'],
  ['lat', 'Latitude'],
  ['lon', 'Longitude'],
  ['radiusKm', 'Radius (km)'],
  ['limit', 'Per page'],
  ['priceInterval', 'Price facet step'],
] as const;

function go(query: URLSearchParams) {
  location.hash = `#/listings${query.toString() === '' ? '' : `?${query.toString()}`}`;
}

/** The property search: every filter and facet of the search API, hits on a map, paging by cursor. */
export function Listings({ query }: { query: URLSearchParams }) {
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = query.toString();

  useEffect(() => {
    let current = true;
    setError(null);
    api<SearchResult>(`/api/search/properties${key === '' ? '' : `?${key}`}`)
      .then((found) => current && setResult(found))
      .catch((e: unknown) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [key]);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    for (const [name] of textFilters) {
      const value = String(form.get(name) ?? '').trim();
      if (value !== '') next.set(name, value);
    }
    for (const list of ['status', 'type']) {
      const values = form.getAll(list).map(String);
      if (values.length > 0) next.set(list, values.join(','));
    }
    const sort = String(form.get('sort') ?? '');
    if (sort !== '') next.set('sort', sort);
    go(next);
  };
  const refine = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(query);
    next.delete('cursor');
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) next.delete(name);
      else next.set(name, value);
    }
    go(next);
  };
  const selected = (name: string) => (query.get(name) ?? '').split(',').filter(Boolean);
  const lat = Number(query.get('lat'));
  const lon = Number(query.get('lon'));
  const hasCenter = query.has('lat') && query.has('lon') && Number.isFinite(lat) && Number.isFinite(lon);

  // The form is uncontrolled (defaultValue/defaultChecked) and keyed by the query: a new
  // query remounts it with that query's values, while a re-render for arriving results
  // leaves what the user is typing alone (a `value` prop would reset it on every render).
  return html`<h1>Listings</h1>
    <form class="filters" onSubmit=${submit} aria-label="Search filters" key=${key}>
      ${textFilters.map(
        ([name, label]) =>
          html`<label>${label} <input name=${name} defaultValue=${query.get(name) ?? ''} /></label>`,
      )}
      <label
        >Sort
        <select name="sort">
          <option value="">default</option>
          ${sorts.map((s) => html`<option value=${s} selected=${query.get('sort') === s}>${s}</option>`)}
        </select>
      </label>
      <fieldset>
        <legend>Status</legend>
        ${statuses.map(
          (s) =>
            html`<label class="check"
              ><input
                type="checkbox"
                name="status"
                value=${s}
                defaultChecked=${selected('status').includes(s)}
              />
              ${s}</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>Type</legend>
        ${types.map(
          (t) =>
            html`<label class="check"
              ><input type="checkbox" name="type" value=${t} defaultChecked=${selected('type').includes(t)} />
              ${t}</label
            >`,
        )}
      </fieldset>
      <div class="actions">
        <button type="submit">Search</button>
        <button type="button" onClick=${() => go(new URLSearchParams())}>Clear</button>
      </div>
    </form>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${
      result &&
      html`<section aria-label="Facets" class="facets">
          <div>
            <h2>Type</h2>
            ${result.facets.type.map(
              (b) =>
                html`<button type="button" class="facet" onClick=${() => refine({ type: b.value })}>
                  ${b.value} <span class="count">${b.count}</span>
                </button>`,
            )}
          </div>
          <div>
            <h2>Bedrooms</h2>
            ${result.facets.bedrooms.map(
              (b) =>
                html`<button
                  type="button"
                  class="facet"
                  onClick=${() => refine({ minBedrooms: String(b.value) })}
                >
                  ${b.value}+ <span class="count">${b.count}</span>
                </button>`,
            )}
          </div>
          <div>
            <h2>Price</h2>
            <div class="histogram">
              ${result.facets.price.map((b) => {
                const most = Math.max(...result.facets.price.map((p) => p.count), 1);
                return html`<button
                  type="button"
                  class="bar"
                  style=${`height:${Math.max(4, (b.count / most) * 60)}px`}
                  aria-label=${`${b.from} to ${b.to}: ${b.count}`}
                  title=${`${b.from.toLocaleString('en')}–${b.to.toLocaleString('en')}: ${b.count}`}
                  onClick=${() => refine({ minPrice: String(b.from), maxPrice: String(b.to) })}
                ></button>`;
              })}
            </div>
          </div>
        </section>
        <p class="total" aria-live="polite">${result.total.toLocaleString('en')} listings</p>
        <div class="results">
          <${GeoMap}
            points=${result.items.map((hit) => ({
              id: hit.id,
              lat: hit.location.lat,
              lon: hit.location.lon,
              label: `${hit.address}, ${money(hit.price.amount, hit.price.currency)}`,
              href: `#/listings/${hit.id}`,
            }))}
            center=${hasCenter ? { lat, lon } : undefined}
          />
          <table class="hits">
            <thead>
              <tr>
                <th>Address</th>
                <th>Price</th>
                <th>Type</th>
                <th>Beds</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              ${result.items.map(
                (hit) =>
                  html`<tr>
                    <td><a href=${`#/listings/${hit.id}`}>${hit.address}</a></td>
                    <td>${money(hit.price.amount, hit.price.currency)}</td>
                    <td>${hit.type}</td>
                    <td>${hit.bedrooms}</td>
                    <td>${hit.status}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <nav class="paging" aria-label="Pages">
          <button
            type="button"
            disabled=${!query.has('cursor')}
            onClick=${() => refine({ cursor: undefined })}
          >
            First page
          </button>
          <button
            type="button"
            disabled=${result.nextCursor === null}
            onClick=${() => {
              const next = new URLSearchParams(query);
              if (result.nextCursor) next.set('cursor', result.nextCursor);
              go(next);
            }}
          >
            Next page
          </button>
        </nav>`
    }`;
}
