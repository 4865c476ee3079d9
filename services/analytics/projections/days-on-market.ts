import { MS_PER_DAY } from '../calendar-day';
import type { WithdrawnPeriod } from './market-property-document';

/**
 * Whole days a property spent on the market from `listedAt` to `end`, leaving out the
 * time it was withdrawn (a relisted property does not count its time off the market).
 * Partial days are dropped: listed at 10:00 and sold at 09:00 four days later is 3 days.
 */
export function daysOnMarket(listedAt: string, end: string, withdrawn: readonly WithdrawnPeriod[]): number {
  const endMs = Date.parse(end);
  const offMarketMs = withdrawn.reduce((sum, period) => {
    const from = Date.parse(period.gte);
    const to = Math.min(period.lt === undefined ? endMs : Date.parse(period.lt), endMs);
    return sum + Math.max(0, to - from);
  }, 0);
  return Math.max(0, Math.floor((endMs - Date.parse(listedAt) - offMarketMs) / MS_PER_DAY));
}
