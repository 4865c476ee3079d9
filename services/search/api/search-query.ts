import { decimalParam } from '../../shared/http/whole-number-param';
import type { estypes } from '@elastic/elasticsearch';
import { z } from 'zod';
import { wholeNumberParam } from '../../shared/http/whole-number-param';
import { propertyTypes, type PropertyType } from '../../property/published';
import { propertyStatuses, type PropertyStatus } from '../../property/published';

export const searchSorts = ['price', '-price', 'listedAt', '-listedAt', 'relevance', 'distance'] as const;
export type SearchSort = (typeof searchSorts)[number];

/** The query of `GET /search/properties` once validated: defaults resolved, cursor decoded. */
export interface SearchParams {
  q?: string;
  minPrice?: number;
  maxPrice?: number;
  currency?: string;
  minBedrooms?: number;
  minBathrooms?: number;
  status?: PropertyStatus[];
  type?: PropertyType[];
  city?: string;
  /** The listing agent's agency (case-insensitive, whole name). */
  agency?: string;
  /** The listing agent's person id. */
  agent?: string;
  near?: { lat: number; lon: number; radiusKm: number };
  sort: SearchSort;
  limit: number;
  /** The previous page's last sort values (search_after), from `cursor`. */
  after?: CursorValue[];
  priceInterval: number;
  consistentWith?: string;
}

/** What a sort value can be once it has been through JSON: `id` is a string, the rest numbers. */
export type CursorValue = string | number;

/** The free-text fields; the address fields weigh more than the description. */
export const textFields = ['address^3', 'street.text^2', 'city.text^2', 'region.text', 'description'];

// ---------------------------------------------------------------------------------------------
// Cursors
// ---------------------------------------------------------------------------------------------

// Every sort is one number (price, listing time, score or distance) and then the id; a
// cursor shaped otherwise would reach Elasticsearch's search_after and fail there.
const cursorContent = z.strictObject({
  sort: z.enum(searchSorts),
  after: z.tuple([z.number().refine(Number.isFinite), z.string().min(1).max(200)]),
});

/**
 * A page cursor: base64url JSON of the sort it belongs to and the last hit's sort values.
 * The sort travels along so a cursor replayed under another sort is refused, not misread.
 */
export function encodeCursor(sort: SearchSort, after: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify({ sort, after }), 'utf8').toString('base64url');
}

/** The content of a cursor, or undefined when it is not one this API made. */
export function decodeCursor(cursor: string): { sort: SearchSort; after: CursorValue[] } | undefined {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) return undefined;
  try {
    const parsed = cursorContent.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The query-string schema
// ---------------------------------------------------------------------------------------------

// Query values arrive as text (arrays when repeated); z.coerce would take "" for 0 and "0x10" for 16.
const text = () => z.string({ error: 'give this parameter once, as text' });
const decimal = decimalParam;

/** One or more values of a closed set: "a,b", or the parameter repeated; duplicates collapse. */
function valueList<const V extends readonly [string, ...string[]]>(allowed: V) {
  return z
    .union([text(), z.array(text())], { error: 'give one or more comma-separated values' })
    .transform((raw, ctx) => {
      const values = [
        ...new Set((Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(',')).map((s) => s.trim())),
      ].filter(Boolean);
      const unknown = values.filter((v) => !allowed.includes(v));
      if (values.length === 0 || unknown.length > 0) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `${unknown.length > 0 ? `unknown value ${unknown.map((v) => `"${v}"`).join(', ')}; ` : ''}use one or more of ${allowed.join(', ')}`,
        });
        return z.NEVER;
      }
      return values as Array<V[number]>;
    });
}

const shape = {
  q: text().trim().min(1, 'must not be blank').max(500, 'at most 500 characters'),
  minPrice: decimal(z.number().min(0, 'at least 0')),
  maxPrice: decimal(z.number().min(0, 'at least 0')),
  currency: text()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  minBedrooms: wholeNumberParam(0, 100),
  minBathrooms: wholeNumberParam(0, 100),
  status: valueList(propertyStatuses),
  type: valueList(propertyTypes),
  city: text().trim().min(1, 'must not be blank').max(100, 'at most 100 characters'),
  agency: text().trim().min(1, 'must not be blank').max(200, 'at most 200 characters'),
  agent: text().trim().min(1, 'must not be blank').max(100, 'at most 100 characters'),
  lat: decimal(z.number().min(-90, 'between -90 and 90').max(90, 'between -90 and 90')),
  lon: decimal(z.number().min(-180, 'between -180 and 180').max(180, 'between -180 and 180')),
  radiusKm: decimal(z.number().positive('greater than 0').max(20_100, 'at most 20100 (half the equator)')),
  sort: z.enum(searchSorts, { error: `one of ${searchSorts.join(', ')}` }),
  limit: wholeNumberParam(1, 100),
  cursor: text().transform((raw, ctx) => {
    const decoded = decodeCursor(raw);
    if (!decoded) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: 'not a cursor from this API; pass nextCursor unchanged',
      });
      return z.NEVER;
    }
    return decoded;
  }),
  priceInterval: decimal(z.number().positive('greater than 0').max(1e12, 'at most 1e12')),
  consistentWith: text().trim().min(1, 'must not be blank').max(200, 'at most 200 characters'),
};

const optionalShape = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as {
  [K in keyof typeof shape]: z.ZodOptional<(typeof shape)[K]>;
};
const knownParameters = Object.keys(shape).join(', ');
const geo = ['lat', 'lon', 'radiusKm'] as const;

/**
 * The query string of `GET /search/properties`. Every parameter is checked on its own so
 * one 400 names all bad ones; rules across parameters (price range, the geo trio, sort
 * prerequisites, the cursor's sort) run once the parameters themselves are valid.
 */
export const searchQuerySchema = z
  .strictObject(optionalShape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}; known: ${knownParameters}`
        : undefined,
  })
  .superRefine((query, ctx) => {
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      for (const field of ['minPrice', 'maxPrice']) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'minPrice must not exceed maxPrice' });
      }
    }
    const given = geo.filter((field) => query[field] !== undefined);
    if (given.length > 0 && given.length < geo.length) {
      for (const field of geo.filter((f) => query[f] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `required with ${given.join(' and ')} (give lat, lon and radiusKm together)`,
        });
      }
    }
    if (query.sort === 'distance' && given.length < geo.length) {
      ctx.addIssue({ code: 'custom', path: ['sort'], message: 'distance needs lat, lon and radiusKm' });
    }
    if (query.sort === 'relevance' && query.q === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sort'], message: 'relevance needs q' });
    }
    const sort = effectiveSort(query.sort, query.q);
    if (query.cursor && query.cursor.sort !== sort) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: `made for sort=${query.cursor.sort}, not sort=${sort}`,
      });
    }
  })
  .transform((query): SearchParams => {
    const { lat, lon, radiusKm, cursor, sort, limit, priceInterval, ...rest } = query;
    return {
      ...rest,
      ...(lat !== undefined && lon !== undefined && radiusKm !== undefined
        ? { near: { lat, lon, radiusKm } }
        : {}),
      sort: effectiveSort(sort, query.q),
      limit: limit ?? 20,
      ...(cursor ? { after: cursor.after } : {}),
      priceInterval: priceInterval ?? 100_000,
    };
  });

function effectiveSort(sort: SearchSort | undefined, q: string | undefined): SearchSort {
  return sort ?? (q !== undefined ? 'relevance' : '-listedAt');
}

// ---------------------------------------------------------------------------------------------
// The Elasticsearch request
// ---------------------------------------------------------------------------------------------

/** A search request without its target: the route adds the index (the alias). */
export type SearchBody = Omit<estypes.SearchRequest, 'index'>;

/** The facet aggregations every search computes, as Elasticsearch answers them. */
export interface SearchAggregations {
  type: estypes.AggregationsStringTermsAggregate;
  bedrooms: estypes.AggregationsLongTermsAggregate;
  price: estypes.AggregationsHistogramAggregate;
}

/**
 * The Elasticsearch request for validated search parameters (pure). It asks for one hit
 * more than `limit`: that extra hit only says whether a next page exists.
 */
export function buildSearchRequest(params: SearchParams): SearchBody {
  return {
    query: {
      bool: {
        // multi_match reads user text as plain words: no operators, fields or wildcards.
        ...(params.q !== undefined
          ? {
              must: [
                {
                  multi_match: { query: params.q, fields: textFields, type: 'cross_fields', operator: 'and' },
                },
              ],
            }
          : {}),
        filter: filters(params),
      },
    },
    sort: sortClauses(params),
    ...(params.after ? { search_after: params.after } : {}),
    size: params.limit + 1,
    track_total_hits: true,
    aggs: {
      type: { terms: { field: 'type', size: propertyTypes.length } },
      // 0..100 bedrooms is what the write API accepts, so 101 buckets is every value.
      bedrooms: { terms: { field: 'bedrooms', size: 101, order: { _key: 'asc' } } },
      // Only non-empty buckets: a small interval over a wide range cannot explode the answer.
      price: { histogram: { field: 'price.amount', interval: params.priceInterval, min_doc_count: 1 } },
    },
  };
}

function filters(params: SearchParams): estypes.QueryDslQueryContainer[] {
  const clauses: estypes.QueryDslQueryContainer[] = [];
  if (params.minPrice !== undefined || params.maxPrice !== undefined) {
    clauses.push({
      range: {
        'price.amount': {
          ...(params.minPrice !== undefined ? { gte: params.minPrice } : {}),
          ...(params.maxPrice !== undefined ? { lte: params.maxPrice } : {}),
        },
      },
    });
  }
  if (params.currency !== undefined) clauses.push({ term: { 'price.currency': params.currency } });
  if (params.minBedrooms !== undefined) clauses.push({ range: { bedrooms: { gte: params.minBedrooms } } });
  if (params.minBathrooms !== undefined) clauses.push({ range: { bathrooms: { gte: params.minBathrooms } } });
  if (params.status) clauses.push({ terms: { status: params.status } });
  if (params.type) clauses.push({ terms: { type: params.type } });
  // The city keyword has a lowercase normalizer, which term queries apply to their value too.
  if (params.city !== undefined) clauses.push({ term: { city: params.city } });
  // So does the agency keyword.
  if (params.agency !== undefined) clauses.push({ term: { agency: params.agency } });
  if (params.agent !== undefined) clauses.push({ term: { agentId: params.agent } });
  if (params.near) {
    const { lat, lon, radiusKm } = params.near;
    clauses.push({ geo_distance: { distance: `${radiusKm}km`, location: { lat, lon } } });
  }
  return clauses;
}

/** The sort, always ending in `id` so hits with equal values keep one order across pages. */
function sortClauses(params: SearchParams): estypes.SortCombinations[] {
  const tiebreaker: estypes.SortCombinations = { id: { order: 'asc' } };
  switch (params.sort) {
    case 'price':
      return [{ 'price.amount': { order: 'asc' } }, tiebreaker];
    case '-price':
      return [{ 'price.amount': { order: 'desc' } }, tiebreaker];
    case 'listedAt':
      return [{ listedAt: { order: 'asc' } }, tiebreaker];
    case '-listedAt':
      return [{ listedAt: { order: 'desc' } }, tiebreaker];
    case 'relevance':
      return [{ _score: { order: 'desc' } }, tiebreaker];
    case 'distance': {
      if (!params.near) throw new Error('sort=distance without lat/lon: the schema should have refused it');
      const { lat, lon } = params.near;
      return [
        { _geo_distance: { location: { lat, lon }, order: 'asc', unit: 'km', distance_type: 'arc' } },
        tiebreaker,
      ];
    }
  }
}
