import { addDays, resolvePeriod, startOfDay } from './analytics-period';

const NOW = new Date('2024-12-04T15:30:00.000Z');
const ok = (start: string | undefined, end: string | undefined, tz = 'UTC', now = NOW) => {
  const result = resolvePeriod(start, end, now, tz);
  if ('error' in result) throw new Error(result.error);
  const { period } = result;
  return { start: period.start.toISOString(), end: period.end.toISOString(), first: period.days[0], last: period.days.at(-1), count: period.days.length };
};
const error = (start: string | undefined, end: string | undefined, tz = 'UTC') => {
  const result = resolvePeriod(start, end, NOW, tz);
  return 'error' in result ? result.error : 'no error';
};

describe('resolvePeriod', () => {
  it('defaults to the last 30 days, today included', () => {
    expect(ok(undefined, undefined)).toEqual({ start: '2024-11-05T00:00:00.000Z', end: '2024-12-05T00:00:00.000Z', first: '2024-11-05', last: '2024-12-04', count: 30 });
  });

  it('counts 30 days back from a given endDate, and to today from a given startDate', () => {
    expect(ok(undefined, '2024-11-30')).toMatchObject({ first: '2024-11-01', last: '2024-11-30', count: 30 });
    expect(ok('2024-12-01', undefined)).toMatchObject({ first: '2024-12-01', last: '2024-12-04', count: 4 });
  });

  it('includes a date-only endDate; a midnight date-time endDate is exclusive (the spec example)', () => {
    expect(ok('2024-11-01', '2024-11-30')).toEqual({ start: '2024-11-01T00:00:00.000Z', end: '2024-12-01T00:00:00.000Z', first: '2024-11-01', last: '2024-11-30', count: 30 });
    expect(ok('2024-11-01T00:00:00.000Z', '2024-12-01T00:00:00.000Z')).toEqual({ start: '2024-11-01T00:00:00.000Z', end: '2024-12-01T00:00:00.000Z', first: '2024-11-01', last: '2024-11-30', count: 30 });
  });

  it('widens date-times to the whole days they fall in', () => {
    expect(ok('2024-11-01T13:45:00Z', '2024-11-03T00:00:01Z')).toMatchObject({ first: '2024-11-01', last: '2024-11-03', count: 3 });
    expect(ok('2024-11-01T10:00:00Z', '2024-11-01T10:00:00Z')).toMatchObject({ first: '2024-11-01', last: '2024-11-01', count: 1 });
  });

  it('gives an empty period for two equal midnights', () => {
    expect(ok('2024-11-01T00:00:00Z', '2024-11-01T00:00:00Z')).toEqual({ start: '2024-11-01T00:00:00.000Z', end: '2024-11-01T00:00:00.000Z', first: undefined, last: undefined, count: 0 });
  });

  it('reads days in ANALYTICS_TIMEZONE, offsets and zone-less date-times included', () => {
    expect(ok('2024-11-01', '2024-11-02', 'Europe/Paris')).toEqual({ start: '2024-10-31T23:00:00.000Z', end: '2024-11-02T23:00:00.000Z', first: '2024-11-01', last: '2024-11-02', count: 2 });
    // 23:30 UTC on Oct 31 is already Nov 1 in Paris; 05:00+09:00 is Nov 1 20:00 UTC = Nov 1 21:00 in Paris.
    expect(ok('2024-10-31T23:30:00Z', '2024-11-02T05:00:00+09:00', 'Europe/Paris')).toMatchObject({ first: '2024-11-01', last: '2024-11-01' });
    expect(ok('2024-11-01T00:00', '2024-11-03T00:00', 'America/New_York')).toMatchObject({ start: '2024-11-01T04:00:00.000Z', end: '2024-11-03T04:00:00.000Z', first: '2024-11-01', last: '2024-11-02' });
  });

  it('follows daylight-saving changes (a 25-hour day)', () => {
    expect(ok('2024-10-27', '2024-10-27', 'Europe/Paris')).toEqual({ start: '2024-10-26T22:00:00.000Z', end: '2024-10-27T23:00:00.000Z', first: '2024-10-27', last: '2024-10-27', count: 1 });
    expect(startOfDay('2024-03-31', 'Europe/Paris').toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(startOfDay('2024-04-01', 'Europe/Paris').toISOString()).toBe('2024-03-31T22:00:00.000Z');
  });

  it('refuses invalid dates', () => {
    expect(error('2024-02-30', undefined)).toBe('startDate must be a valid ISO 8601 date');
    expect(error('2024-11-01T24:00:00Z', undefined)).toBe('startDate must be a valid ISO 8601 date');
    expect(error(undefined, 'yesterday')).toBe('endDate must be a valid ISO 8601 date');
    expect(error(undefined, '2024-11-01T10:61')).toBe('endDate must be a valid ISO 8601 date');
  });

  it('refuses a start after the end', () => {
    expect(error('2024-11-02', '2024-11-01')).toBe('startDate must not be after endDate');
    expect(error('2024-11-01T12:00:00Z', '2024-11-01T11:00:00Z')).toBe('startDate must not be after endDate');
    expect(error('2024-12-05', undefined)).toBe('startDate must not be after endDate');
  });

  it('accepts 366 days and refuses 367', () => {
    expect(ok('2024-01-01', '2024-12-31')).toMatchObject({ count: 366 });
    expect(error('2023-12-31', '2024-12-31')).toBe('The date range cannot exceed 366 days');
    expect(error('2023-01-01', undefined)).toBe('The date range cannot exceed 366 days');
  });

  it('adds calendar days across months and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });
});
