import type { estypes } from '@elastic/elasticsearch';
import type { PropertySearchDocument } from '../projections/property-search-document';
import { encodeCursor, type CursorValue, type SearchAggregations, type SearchParams } from './search-query';

/** A hit: the document, its distance from lat/lon when given, its score when sorted by relevance. */
export type SearchResultItem = PropertySearchDocument & { distanceKm?: number; score?: number };

export interface SearchFacets {
  type: Array<{ value: string; count: number }>;
  bedrooms: Array<{ value: number; count: number }>;
  /** Non-empty price buckets: `from` inclusive, `to` exclusive. */
  price: Array<{ from: number; to: number; count: number }>;
}

export interface SearchResult {
  total: number;
  items: SearchResultItem[];
  /** Pass as `cursor` (with the same parameters) for the next page; null on the last page. */
  nextCursor: string | null;
  facets: SearchFacets;
}

export type PropertySearchResponse = estypes.SearchResponse<PropertySearchDocument, SearchAggregations>;

/** Maps the answer to `buildSearchRequest(params)` to the API's result (pure). */
export function toSearchResult(response: PropertySearchResponse, params: SearchParams): SearchResult {
  // The request asked for limit + 1 hits: the extra one only says that a next page exists.
  const hits = response.hits.hits.filter((hit) => hit._source !== undefined);
  const page = hits.slice(0, params.limit);
  const last = page[page.length - 1];
  return {
    total: totalOf(response.hits.total),
    items: page.map((hit) => toItem(hit, params)),
    nextCursor: hits.length > params.limit && last ? encodeCursor(params.sort, sortValues(last)) : null,
    facets: facetsOf(response.aggregations, params.priceInterval),
  };
}

function toItem(hit: estypes.SearchHit<PropertySearchDocument>, params: SearchParams): SearchResultItem {
  const item: SearchResultItem = { ...(hit._source as PropertySearchDocument) };
  if (params.near) {
    // Sorted by distance, Elasticsearch computed it; otherwise the same arc formula here.
    const sorted = params.sort === 'distance' ? hit.sort?.[0] : undefined;
    const km = typeof sorted === 'number' ? sorted : arcDistanceKm(params.near, item.location);
    item.distanceKm = Math.round(km * 1000) / 1000;
  }
  if (params.sort === 'relevance' && typeof hit._score === 'number') item.score = hit._score;
  return item;
}

function sortValues(hit: estypes.SearchHit<PropertySearchDocument>): CursorValue[] {
  return (hit.sort ?? []).map((value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') return value;
    throw new Error(`unexpected sort value ${JSON.stringify(value)} on hit ${hit._id ?? '?'}`);
  });
}

function totalOf(total: estypes.SearchHitsMetadata['total']): number {
  if (total === undefined) return 0;
  return typeof total === 'number' ? total : total.value;
}

/** Buckets come as an array unless `keyed` was asked for, which the request never does. */
function bucketList<B>(buckets: estypes.AggregationsBuckets<B> | undefined): B[] {
  if (!buckets) return [];
  return Array.isArray(buckets) ? buckets : Object.values(buckets);
}

function facetsOf(aggregations: SearchAggregations | undefined, interval: number): SearchFacets {
  return {
    type: bucketList(aggregations?.type.buckets).map((b) => ({ value: String(b.key), count: b.doc_count })),
    bedrooms: bucketList(aggregations?.bedrooms.buckets).map((b) => ({
      value: Number(b.key),
      count: b.doc_count,
    })),
    price: bucketList(aggregations?.price.buckets).map((b) => ({
      from: b.key,
      to: b.key + interval,
      count: b.doc_count,
    })),
  };
}

// Elasticsearch's arc distance uses the mean Earth radius (GeoUtils.EARTH_MEAN_RADIUS).
const EARTH_MEAN_RADIUS_KM = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle (haversine) distance, as Elasticsearch's `arc` distance computes it. */
export function arcDistanceKm(from: { lat: number; lon: number }, to: { lat: number; lon: number }): number {
  const dLat = radians(to.lat - from.lat);
  const dLon = radians(to.lon - from.lon);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(from.lat)) * Math.cos(radians(to.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_MEAN_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
