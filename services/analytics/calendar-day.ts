/** A UTC calendar day as "YYYY-MM-DD": the unit of every market analytics bucket. */
export type CalendarDay = string;

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day an instant falls on. */
export function utcDay(instant: string | Date): CalendarDay {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${String(instant)}`);
  return date.toISOString().slice(0, 10);
}

/** Whether text is a real day in YYYY-MM-DD form (2026-02-30 is not). */
export function isCalendarDay(text: string): boolean {
  const match = DAY_PATTERN.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 02-30 over to 03-02; a real day survives the round trip unchanged.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Midnight UTC at the start of a day, in milliseconds. */
export function startOfDayMs(day: CalendarDay): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  return utcDay(new Date(startOfDayMs(day) + days * DAY_MS));
}

/** Whole days from one day to another (0 for the same day, negative when `to` is earlier). */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return Math.round((startOfDayMs(to) - startOfDayMs(from)) / DAY_MS);
}

/** Every day from `from` to `to`, both included. */
export function daysFromTo(from: CalendarDay, to: CalendarDay): CalendarDay[] {
  return Array.from({ length: Math.max(0, daysBetween(from, to) + 1) }, (_, i) => addDays(from, i));
}

/** The last millisecond of a day: "on or before the end of that day" is `lte` this instant. */
export function endOfDay(day: CalendarDay): string {
  return new Date(startOfDayMs(day) + DAY_MS - 1).toISOString();
}

export const MS_PER_DAY = DAY_MS;
