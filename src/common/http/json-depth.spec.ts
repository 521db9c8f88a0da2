import { jsonDepthExceeds } from './json-depth';

const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('jsonDepthExceeds', () => {
  it('counts the top-level value as depth 1 and ignores scalars', () => {
    expect(jsonDepthExceeds('text', 1)).toBe(false);
    expect(jsonDepthExceeds(undefined, 1)).toBe(false);
    expect(jsonDepthExceeds({ a: 1 }, 1)).toBe(false);
    expect(jsonDepthExceeds({ a: { b: 1 } }, 1)).toBe(true);
    expect(jsonDepthExceeds({ user: { metadata: { pageUrl: 'x' } } }, 3)).toBe(false);
  });

  it('finds a deep branch beside shallow ones, in objects and arrays', () => {
    expect(jsonDepthExceeds({ a: 1, b: [1, 2, { c: [[[]]] }] }, 6)).toBe(false);
    expect(jsonDepthExceeds({ a: 1, b: [1, 2, { c: [[[[]]]] }] }, 6)).toBe(true);
  });

  it('handles hostile depths without overflowing the stack', () => {
    expect(jsonDepthExceeds(nested(100_000), 32)).toBe(true);
    expect(jsonDepthExceeds(nested(32), 32)).toBe(false);
    expect(jsonDepthExceeds(nested(33), 32)).toBe(true);
  });
});
