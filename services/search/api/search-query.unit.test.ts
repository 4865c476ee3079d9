import type { estypes } from '@elastic/elasticsearch';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { PropertySearchDocument } from '../projections/property-search-document';
import {
  buildSearchRequest,
  decodeCursor,
  encodeCursor,
  searchQuerySchema,
  textFields,
  type SearchParams,
} from './search-query';
import { arcDistanceKm, toSearchResult, type PropertySearchResponse } from './search-response';

const params = (query: Record<string, unknown>): SearchParams => searchQuerySchema.parse(query);
const request = (query: Record<string, unknown>) => buildSearchRequest(params(query));
const filtersOf = (query: Record<string, unknown>) => {
  const bool = request(query).query?.bool as estypes.QueryDslBoolQuery;
  return bool.filter as estypes.QueryDslQueryContainer[];
};

/** The field names of a 400 for this query, as the route would answer it. */
function badFields(query: Record<string, unknown>): string[] {
  try {
    parseOr400(searchQuerySchema, query, 'query');
  } catch (error) {
    if (error instanceof HttpProblem)
      return (error.extra.errors as Array<{ field: string }>).map((e) => e.field);
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

function messagesOf(query: Record<string, unknown>): string {
  const result = searchQuerySchema.safeParse(query);
  return result.success ? '' : result.error.issues.map((i) => i.message).join(' | ');
}

describe('search query: defaults', () => {
  it('with no parameters: everything, newest first, 20 (+1 to detect a next page), facets, exact total', () => {
    expect(params({})).toEqual({ sort: '-listedAt', limit: 20, priceInterval: 100_000 });
    const body = request({});
    expect(body.query).toEqual({ bool: { filter: [] } });
    expect(body.sort).toEqual([{ listedAt: { order: 'desc' } }, { id: { order: 'asc' } }]);
    expect(body.size).toBe(21);
    expect(body.track_total_hits).toBe(true);
    expect(body.search_after).toBeUndefined();
    expect(body.aggs).toEqual({
      type: { terms: { field: 'type', size: 6 } },
      bedrooms: { terms: { field: 'bedrooms', size: 101, order: { _key: 'asc' } } },
      price: { histogram: { field: 'price.amount', interval: 100_000, min_doc_count: 1 } },
    });
  });

  it('sorts by relevance by default when q is given', () => {
    expect(request({ q: 'canal' }).sort).toEqual([{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]);
  });
});

describe('search query: each parameter maps to its clause', () => {
  it('q is a multi_match over the text fields', () => {
    expect(request({ q: ' canal house ' }).query?.bool?.must).toEqual([
      { multi_match: { query: 'canal house', fields: textFields, type: 'cross_fields', operator: 'and' } },
    ]);
    expect(textFields.map((f) => f.split('^')[0])).toEqual([
      'address',
      'street.text',
      'city.text',
      'region.text',
      'description',
    ]);
  });

  it('q with query syntax stays literal text and never becomes a query_string', () => {
    const q = 'price:>1 AND (x';
    const body = request({ q });
    expect(body.query?.bool?.must).toEqual([
      expect.objectContaining({ multi_match: expect.objectContaining({ query: q }) }),
    ]);
    const json = JSON.stringify(body);
    expect(json).not.toContain('query_string');
    expect(json).not.toContain('simple_query_string');
    // The text is a JSON string value, not spliced into the request's structure.
    expect(JSON.parse(json)).toEqual(body);
  });

  it('minPrice and maxPrice are one range on price.amount; either alone is half open', () => {
    expect(filtersOf({ minPrice: '100000', maxPrice: '250000.50' })).toEqual([
      { range: { 'price.amount': { gte: 100_000, lte: 250_000.5 } } },
    ]);
    expect(filtersOf({ minPrice: '1' })).toEqual([{ range: { 'price.amount': { gte: 1 } } }]);
    expect(filtersOf({ maxPrice: '2' })).toEqual([{ range: { 'price.amount': { lte: 2 } } }]);
    expect(filtersOf({ minPrice: '7', maxPrice: '7' })).toEqual([
      { range: { 'price.amount': { gte: 7, lte: 7 } } },
    ]);
  });

  it('currency is a term on price.currency, upper-cased', () => {
    expect(filtersOf({ currency: 'eur' })).toEqual([{ term: { 'price.currency': 'EUR' } }]);
  });

  it('minBedrooms and minBathrooms are ranges', () => {
    expect(filtersOf({ minBedrooms: '2', minBathrooms: '0' })).toEqual([
      { range: { bedrooms: { gte: 2 } } },
      { range: { bathrooms: { gte: 0 } } },
    ]);
  });

  it('status and type take comma-separated or repeated values, deduplicated', () => {
    expect(filtersOf({ status: 'listed' })).toEqual([{ terms: { status: ['listed'] } }]);
    expect(filtersOf({ status: 'listed, sold,listed', type: ['house', 'condo,apartment'] })).toEqual([
      { terms: { status: ['listed', 'sold'] } },
      { terms: { type: ['house', 'condo', 'apartment'] } },
    ]);
  });

  it('city is a term on the normalized keyword (the mapping lower-cases both sides)', () => {
    expect(filtersOf({ city: ' Amsterdam ' })).toEqual([{ term: { city: 'Amsterdam' } }]);
  });

  it('lat, lon and radiusKm are a geo_distance filter on location', () => {
    expect(filtersOf({ lat: '52.37', lon: '-4.89', radiusKm: '2.5' })).toEqual([
      { geo_distance: { distance: '2.5km', location: { lat: 52.37, lon: -4.89 } } },
    ]);
  });

  it('every sort ends with the id tiebreaker', () => {
    const id = { id: { order: 'asc' } };
    expect(request({ sort: 'price' }).sort).toEqual([{ 'price.amount': { order: 'asc' } }, id]);
    expect(request({ sort: '-price' }).sort).toEqual([{ 'price.amount': { order: 'desc' } }, id]);
    expect(request({ sort: 'listedAt' }).sort).toEqual([{ listedAt: { order: 'asc' } }, id]);
    expect(request({ sort: '-listedAt' }).sort).toEqual([{ listedAt: { order: 'desc' } }, id]);
    expect(request({ q: 'x', sort: 'relevance' }).sort).toEqual([{ _score: { order: 'desc' } }, id]);
    expect(request({ q: 'x', sort: 'price' }).sort).toEqual([{ 'price.amount': { order: 'asc' } }, id]);
    expect(request({ lat: '1', lon: '2', radiusKm: '3', sort: 'distance' }).sort).toEqual([
      { _geo_distance: { location: { lat: 1, lon: 2 }, order: 'asc', unit: 'km', distance_type: 'arc' } },
      id,
    ]);
  });

  it('limit sets the page size (plus one), priceInterval the histogram interval', () => {
    expect(request({ limit: '5' }).size).toBe(6);
    expect(request({ limit: '100' }).size).toBe(101);
    expect(request({ priceInterval: '50000' }).aggs?.price).toEqual({
      histogram: { field: 'price.amount', interval: 50_000, min_doc_count: 1 },
    });
  });

  it('all filters together are ANDed in filter context', () => {
    expect(
      filtersOf({
        minPrice: '1',
        currency: 'EUR',
        minBedrooms: '1',
        status: 'sold',
        type: 'land',
        city: 'x',
      }),
    ).toHaveLength(6);
  });

  it('consistentWith is accepted and does not touch the request', () => {
    expect(params({ consistentWith: 'abc@3' }).consistentWith).toBe('abc@3');
    expect(request({ consistentWith: 'abc@3' })).toEqual(request({}));
  });
});

describe('search query: cursors', () => {
  it('round-trips sort values through an opaque base64url string', () => {
    const cursor = encodeCursor('price', [450_000.5, 'a1b2']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ sort: 'price', after: [450_000.5, 'a1b2'] });
    expect(request({ sort: 'price', cursor }).search_after).toEqual([450_000.5, 'a1b2']);
  });

  it('the cursor of a page is the last returned hit, and only when a next page exists', () => {
    const p = params({ sort: 'price', limit: '2' });
    const hit = (id: string, price: number): estypes.SearchHit<PropertySearchDocument> => ({
      _index: 'i',
      _id: id,
      _source: { id, price: { amount: price, currency: 'EUR' } } as PropertySearchDocument,
      sort: [price, id],
    });
    const response = (hits: Array<estypes.SearchHit<PropertySearchDocument>>): PropertySearchResponse => ({
      took: 1,
      timed_out: false,
      _shards: { total: 1, successful: 1, failed: 0 },
      hits: { total: { value: 9, relation: 'eq' }, hits },
    });
    const full = toSearchResult(response([hit('a', 1), hit('b', 2), hit('c', 3)]), p);
    expect(full.items.map((i) => i.id)).toEqual(['a', 'b']);
    expect(full.total).toBe(9);
    expect(decodeCursor(full.nextCursor as string)).toEqual({ sort: 'price', after: [2, 'b'] });
    expect(request({ sort: 'price', limit: '2', cursor: full.nextCursor }).search_after).toEqual([2, 'b']);
    expect(toSearchResult(response([hit('a', 1), hit('b', 2)]), p).nextCursor).toBeNull();
    expect(toSearchResult(response([]), p)).toEqual({
      total: 9,
      items: [],
      nextCursor: null,
      facets: { type: [], bedrooms: [], price: [] },
    });
  });

  it('refuses a malformed cursor, and one made for another sort', () => {
    const bad = [
      'not base64!',
      Buffer.from('not json').toString('base64url'),
      Buffer.from('[1,"a"]').toString('base64url'),
      Buffer.from(JSON.stringify({ sort: 'price', after: [1] })).toString('base64url'),
      Buffer.from(JSON.stringify({ sort: 'price', after: [{}, 'a'] })).toString('base64url'),
      // Well-formed JSON that Elasticsearch's search_after would refuse: values in the wrong places.
      Buffer.from(JSON.stringify({ sort: 'price', after: ['not-a-number', 'x'] })).toString('base64url'),
      Buffer.from(JSON.stringify({ sort: 'price', after: [1, 2] })).toString('base64url'),
      Buffer.from(JSON.stringify({ sort: 'price', after: [1, ''] })).toString('base64url'),
      Buffer.from(JSON.stringify({ sort: 'nope', after: [1, 'a'] })).toString('base64url'),
      Buffer.from(JSON.stringify({ sort: 'price', after: [1, 'a'], extra: 1 })).toString('base64url'),
      '',
    ];
    for (const cursor of bad) {
      expect(decodeCursor(cursor)).toBeUndefined();
      expect(badFields({ sort: 'price', cursor })).toEqual(['query.cursor']);
    }
    expect(badFields({ sort: '-price', cursor: encodeCursor('price', [1, 'a']) })).toEqual(['query.cursor']);
    expect(messagesOf({ cursor: encodeCursor('price', [1, 'a']) })).toContain('sort=-listedAt');
  });
});

describe('search query: validation names every bad parameter', () => {
  it.each([
    [{ q: '   ' }, 'q'],
    [{ minPrice: 'cheap' }, 'minPrice'],
    [{ minPrice: '-1' }, 'minPrice'],
    [{ minPrice: '' }, 'minPrice'],
    [{ maxPrice: '1e6' }, 'maxPrice'],
    [{ maxPrice: 'Infinity' }, 'maxPrice'],
    [{ currency: 'euro' }, 'currency'],
    [{ minBedrooms: '1.5' }, 'minBedrooms'],
    [{ minBedrooms: '101' }, 'minBedrooms'],
    [{ minBathrooms: '-1' }, 'minBathrooms'],
    [{ status: 'listed,gone' }, 'status'],
    [{ status: '' }, 'status'],
    [{ type: 'castle' }, 'type'],
    [{ city: '' }, 'city'],
    [{ city: ['a', 'b'] }, 'city'],
    [{ lat: '91', lon: '0', radiusKm: '1' }, 'lat'],
    [{ lat: '0', lon: '181', radiusKm: '1' }, 'lon'],
    [{ lat: '0', lon: '0', radiusKm: '0' }, 'radiusKm'],
    [{ sort: 'cheapest' }, 'sort'],
    [{ sort: 'relevance' }, 'sort'],
    [{ sort: 'distance' }, 'sort'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: '0x10' }, 'limit'],
    [{ limit: ['1', '2'] }, 'limit'],
    [{ priceInterval: '0' }, 'priceInterval'],
    [{ priceInterval: '-5' }, 'priceInterval'],
    [{ consistentWith: '' }, 'consistentWith'],
  ])('%s: %j', (query, field) => {
    expect(badFields(query)).toEqual([`query.${field}`]);
  });

  it('q longer than 500 characters → q', () => {
    expect(badFields({ q: 'x'.repeat(501) })).toEqual(['query.q']);
  });

  it('names each of several bad parameters in one answer', () => {
    expect(
      badFields({
        limit: '0',
        minPrice: 'x',
        status: 'nope',
        sort: 'up',
        cursor: '%%',
        priceInterval: '0',
      }).sort(),
    ).toEqual([
      'query.cursor',
      'query.limit',
      'query.minPrice',
      'query.priceInterval',
      'query.sort',
      'query.status',
    ]);
  });

  it('minPrice above maxPrice names both', () => {
    expect(badFields({ minPrice: '500', maxPrice: '100' })).toEqual(['query.minPrice', 'query.maxPrice']);
  });

  it('lat, lon and radiusKm come together: each missing one is named', () => {
    expect(badFields({ lat: '52' })).toEqual(['query.lon', 'query.radiusKm']);
    expect(badFields({ lat: '52', lon: '4' })).toEqual(['query.radiusKm']);
    expect(badFields({ radiusKm: '5' })).toEqual(['query.lat', 'query.lon']);
  });

  it('rejects unknown parameters, naming them', () => {
    expect(badFields({ foo: '1' })).toEqual(['query']);
    expect(messagesOf({ foo: '1', pirce: '2' })).toContain('unknown parameter "foo", "pirce"');
  });
});

describe('distance', () => {
  it('arcDistanceKm matches known distances (Amsterdam–Rotterdam ≈ 57 km)', () => {
    expect(arcDistanceKm({ lat: 52.3676, lon: 4.9041 }, { lat: 51.9244, lon: 4.4777 })).toBeCloseTo(57.4, 0);
    expect(arcDistanceKm({ lat: 1, lon: 1 }, { lat: 1, lon: 1 })).toBe(0);
  });
});
