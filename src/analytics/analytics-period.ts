import { dayKeyOf } from '../common/time/day-key';

/** At most this many days in one analytics request. */
export const MAX_PERIOD_DAYS = 366;
/** The period when neither date is given: the last 30 days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * `YYYY-MM-DD`, or a date-time `YYYY-MM-DDTHH:mm[:ss[.sss]]` with `Z`, `±HH:mm` or no offset (then
 * it is a wall-clock time in ANALYTICS_TIMEZONE).
 */
export const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Whole days in the analytics time zone: `[start, end)` in instants, `days` the day keys in it. */
export interface AnalyticsPeriod {
  start: Date;
  end: Date;
  days: string[];
}

export type PeriodResult = { period: AnalyticsPeriod } | { error: string };

interface ParsedDate {
  /** The calendar day (in the analytics time zone) the value falls on. */
  day: string;
  instant: number;
  /** True for `YYYY-MM-DD`, or a date-time exactly at that day's midnight. */
  atMidnight: boolean;
  dateOnly: boolean;
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant at which `timeZone`'s wall clock shows `wall` (a UTC-encoded wall-clock time). */
export function zonedInstant(wall: number, timeZone: string): number {
  const first = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(first, timeZone);
  return second;
}

/** The instant `day` starts in `timeZone`. */
export function startOfDay(day: string, timeZone: string): Date {
  return new Date(zonedInstant(Date.parse(`${day}T00:00:00Z`), timeZone));
}

function parseDate(value: string, timeZone: string): ParsedDate | null {
  const m = ISO_DATE_PATTERN.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second, millis] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0', (m[7] ?? '0').padEnd(3, '0')].map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const calendarDay = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined) {
    return { day: calendarDay, instant: startOfDay(calendarDay, timeZone).getTime(), atMidnight: true, dateOnly: true };
  }
  const zone = m[8];
  let instant: number;
  if (zone === undefined) instant = zonedInstant(wall, timeZone);
  else if (zone === 'Z') instant = wall;
  else instant = wall - (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  const localDay = dayKeyOf(new Date(instant), timeZone);
  return { day: localDay, instant, atMidnight: startOfDay(localDay, timeZone).getTime() === instant, dateOnly: false };
}

function periodOf(firstDay: string, lastDay: string, timeZone: string): AnalyticsPeriod {
  const count = daysBetween(firstDay, lastDay) + 1;
  return {
    start: startOfDay(firstDay, timeZone),
    end: startOfDay(addDays(lastDay, 1), timeZone),
    days: Array.from({ length: count }, (_, i) => addDays(firstDay, i)),
  };
}

/**
 * The whole days of ANALYTICS_TIMEZONE an analytics request covers. `startDate` counts from the
 * start of its day. `endDate` as a date (`2024-11-30`) includes that day; as a date-time it
 * includes the day it falls in, unless it is exactly a midnight, which is an exclusive end
 * (`2024-12-01T00:00:00Z` ends with November 30 in UTC). Missing: `endDate` is today, `startDate`
 * 29 days before `endDate`'s day (30 days in all). Errors: an invalid date, `startDate` after
 * `endDate` (compared as given, a date being its midnight), more than MAX_PERIOD_DAYS days.
 */
export function resolvePeriod(startDate: string | undefined, endDate: string | undefined, now: Date, timeZone: string): PeriodResult {
  const start = startDate === undefined ? undefined : parseDate(startDate, timeZone);
  if (start === null) return { error: 'startDate must be a valid ISO 8601 date' };
  const end = endDate === undefined ? undefined : parseDate(endDate, timeZone);
  if (end === null) return { error: 'endDate must be a valid ISO 8601 date' };

  const lastDay = end === undefined ? dayKeyOf(now, timeZone) : end.atMidnight && !end.dateOnly ? addDays(end.day, -1) : end.day;
  const firstDay = start === undefined ? addDays(lastDay, 1 - DEFAULT_PERIOD_DAYS) : start.day;
  // Compared as given (a date is its midnight); the default start is never after the end.
  if (start !== undefined && start.instant > (end === undefined ? now.getTime() : end.instant)) return { error: 'startDate must not be after endDate' };
  if (daysBetween(firstDay, lastDay) + 1 > MAX_PERIOD_DAYS) return { error: `The date range cannot exceed ${MAX_PERIOD_DAYS} days` };
  return { period: periodOf(firstDay, lastDay, timeZone) };
}
