import { consistencyTokenParam } from '../../shared/http/read-model';
import type { estypes } from '@elastic/elasticsearch';
import { z } from 'zod';
import { addDays, daysBetween, daysFromTo, endOfDay, isCalendarDay, type CalendarDay } from '../calendar-day';

/** The longest range one request may ask for, both ends included (a leap year). */
export const MAX_RANGE_DAYS = 366;
/** Without from/to: the last 30 days, today (UTC) included. */
export const DEFAULT_RANGE_DAYS = 30;

/** `GET /analytics/markets/:city` once validated: defaults resolved. */
export interface MarketParams {
  city: string;
  postalCode?: string;
  from: CalendarDay;
  to: CalendarDay;
  consistentWith?: string;
}

// ---------------------------------------------------------------------------------------------
// Path and query-string schemas
// ---------------------------------------------------------------------------------------------

const text = () => z.string({ error: 'give this parameter once, as text' });
const day = () => text().trim().refine(isCalendarDay, 'a day as YYYY-MM-DD, such as 2026-03-01');

export const cityParamSchema = text().trim().min(1, 'must not be blank').max(100, 'at most 100 characters');
export const consistencyTokenSchema = consistencyTokenParam;

const shape = {
  from: day(),
  to: day(),
  postalCode: text().trim().min(1, 'must not be blank').max(20, 'at most 20 characters'),
  consistentWith: consistencyTokenSchema,
};
const knownParameters = Object.keys(shape).join(', ');

/**
 * The query string of `GET /analytics/markets/:city`, for a given today (UTC). Each
 * parameter is checked on its own so one 400 names all bad ones; the range rules run once
 * both days are valid and name whichever of from/to the client gave.
 */
export function marketQuerySchema(today: CalendarDay) {
  return z
    .strictObject(
      {
        from: shape.from.optional(),
        to: shape.to.optional(),
        postalCode: shape.postalCode.optional(),
        consistentWith: shape.consistentWith.optional(),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}; known: ${knownParameters}`
            : undefined,
      },
    )
    .superRefine((query, ctx) => {
      // zod runs this even when a day failed its own check; ranges need two real days.
      if ([query.from, query.to].some((day) => day !== undefined && !isCalendarDay(day))) return;
      const { from, to } = resolveRange(query, today);
      const given = (['from', 'to'] as const).filter((field) => query[field] !== undefined);
      const blame = (message: string) => {
        for (const field of given) ctx.addIssue({ code: 'custom', path: [field], message });
      };
      if (daysBetween(from, to) < 0) blame(`to (${to}) must not be before from (${from})`);
      else if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
        blame(`at most ${MAX_RANGE_DAYS} days from from to to, both included`);
    })
    .transform(({ from, to, ...rest }) => ({ ...resolveRange({ from, to }, today), ...rest }));
}

/** to defaults to today, from to the 30 days that end on `to`. */
function resolveRange(query: { from?: CalendarDay; to?: CalendarDay }, today: CalendarDay) {
  const to = query.to ?? today;
  return { from: query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1)), to };
}

// ---------------------------------------------------------------------------------------------
// The Elasticsearch requests
// ---------------------------------------------------------------------------------------------

/** A search request without its target: the route adds the index (an alias). */
export type SearchBody = Omit<estypes.SearchRequest, 'index'>;

const median = (field: string): estypes.AggregationsAggregationContainer => ({
  // keyed: false answers [{key: 50, value}], which reads better than {"50.0": value}.
  // T-digest is exact for small samples (interpolating between the middle two) and a close
  // estimate for large ones: good enough for a market median.
  percentiles: { field, percents: [50], keyed: false },
});

/** What each day, and the whole range, computes over the facts. */
const factMetrics: Record<string, estypes.AggregationsAggregationContainer> = {
  listed: {
    filter: { term: { kind: 'listed' } },
    aggs: { averageListPrice: { avg: { field: 'listPrice' } }, medianListPrice: median('listPrice') },
  },
  // A relist at a lower price is a cut too: every fact whose asking price went down.
  priceCuts: { filter: { term: { priceChange: 'cut' } } },
  sold: {
    filter: { term: { kind: 'sold' } },
    aggs: {
      medianSalePrice: median('salePrice'),
      medianDaysOnMarket: median('daysOnMarket'),
      saleToListRatio: { avg: { field: 'saleToListRatio' } },
    },
  },
  withdrawn: { filter: { term: { kind: 'withdrawn' } } },
  relisted: { filter: { term: { kind: 'relisted' } } },
};

function marketFilters(params: MarketParams): estypes.QueryDslQueryContainer[] {
  return [
    // city has a lowercase normalizer, which term queries apply to their value too.
    { term: { city: params.city } },
    ...(params.postalCode !== undefined ? [{ term: { postalCode: params.postalCode } }] : []),
  ];
}

/**
 * Daily buckets over the facts index (pure): a calendar-day histogram whose extended bounds
 * make every day of the range appear, empty ones included, plus the same metrics over the
 * whole range.
 */
export function buildFactsRequest(params: MarketParams): SearchBody {
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: {
        filter: [...marketFilters(params), { range: { day: { gte: params.from, lte: params.to } } }],
      },
    },
    aggs: {
      days: {
        date_histogram: {
          field: 'day',
          calendar_interval: 'day',
          format: 'yyyy-MM-dd',
          min_doc_count: 0,
          extended_bounds: { min: params.from, max: params.to },
        },
        aggs: factMetrics,
      },
      ...factMetrics,
      currencies: { terms: { field: 'currency', size: 10 } },
    },
  };
}

/**
 * Active listings at the end of each day, over the per-property index (pure): one filter
 * per day, "listed on or before the end of the day, and by then neither sold nor withdrawn".
 *
 * Relisting: a withdrawn property is off the market only during its withdrawn periods
 * (withdrawn → relisted, indexed as a date_range), so it counts again from the day it is
 * relisted and not for the days in between. For a property never relisted this is exactly
 * `NOT withdrawnAt ≤ dayEnd`. The listing date is the first one, never moved by a relist.
 *
 * Honest limits: a property counts under its current city and postal code (an address
 * change moves its whole history), and "active" includes reserved properties, which are
 * still on the market until the sale completes.
 */
export function buildActiveListingsRequest(params: MarketParams): SearchBody {
  const activeAt = (dayEnd: string): estypes.QueryDslQueryContainer => ({
    bool: {
      filter: [{ range: { listedAt: { lte: dayEnd } } }],
      must_not: [
        { range: { soldAt: { lte: dayEnd } } },
        { range: { withdrawnPeriods: { gte: dayEnd, lte: dayEnd, relation: 'intersects' } } },
      ],
    },
  });
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: { filter: [...marketFilters(params), { range: { listedAt: { lte: endOfDay(params.to) } } }] },
    },
    aggs: {
      active: {
        filters: {
          filters: Object.fromEntries(
            daysFromTo(params.from, params.to).map((d) => [d, activeAt(endOfDay(d))]),
          ),
        },
      },
    },
  };
}
