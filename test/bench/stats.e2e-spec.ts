import { median, percentile, ratio, summarize } from '../../bench/lib/stats';
import { compare } from '../../bench/lib/report';

/** The benchmark's numbers are only as right as these helpers (the benchmark itself is not a test). */
describe('bench statistics', () => {
  it('percentile uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7, 3, 5], 1)).toBe(3);
    expect(percentile([7, 3, 5], 67)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('median averages the two middle values of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('summarize and ratio', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ count: 4, p50: 2, p95: 4, p99: 4, max: 4 });
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
  });

  it('compare takes medians of the A B B A rounds and checks the goal on the ratio', () => {
    const row = compare('message', 'msgs/s', [60, 80], [100, 100], 'raw', { kind: 'min', value: 0.6 });
    expect(row).toMatchObject({ service: 70, baseline: 100, ratio: 0.7, pass: true });
    expect(compare('message', 'p99 ms', [30], [10], 'raw', { kind: 'max', value: 2 }).pass).toBe(false);
  });
});
