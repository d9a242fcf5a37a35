import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { finiteExtent, paddedDomain } from '../../src/viz/domain.ts';

describe('chart domains', () => {
  it('ignore non-finite values and fall back to [0, 1] when nothing is finite', () => {
    expect(finiteExtent([Number.NaN, 4, Infinity, -2])).toEqual([-2, 4]);
    expect(paddedDomain([Number.NaN, -Infinity])).toEqual([0, 1]);
    expect(paddedDomain([])).toEqual([0, 1]);
  });

  it('pad by a fraction of the span and widen a constant so it sits mid-axis', () => {
    expect(paddedDomain([0, 10], 0.1)).toEqual([-1, 11]);
    expect(paddedDomain([5, 5, 5])).toEqual([4.75, 5.25]);
    expect(paddedDomain([0, 0])).toEqual([-1, 1]);
  });

  it('span several arrays at once', () => {
    expect(paddedDomain([[1, 2], Float64Array.from([-3, Number.NaN]), []])).toEqual([-3, 2]);
  });

  it('handle more values than a spread call could (Math.min(...x) overflows the stack)', () => {
    const rng = createRng(7);
    const n = 1_000_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = rng.normal();
    xs[123_456] = 99;
    expect(() => Math.min(...xs)).toThrow(RangeError);
    expect(paddedDomain(xs)[1]).toBe(99);
  });
});
