import { dayKeyOf } from './day-key';

describe('dayKeyOf', () => {
  const lateUtc = new Date('2024-12-04T23:30:00.000Z');

  it('uses the given time zone', () => {
    expect(dayKeyOf(lateUtc, 'UTC')).toBe('2024-12-04');
    expect(dayKeyOf(lateUtc, 'Asia/Tokyo')).toBe('2024-12-05');
    expect(dayKeyOf(new Date('2024-01-01T03:00:00.000Z'), 'America/New_York')).toBe('2023-12-31');
  });
});
