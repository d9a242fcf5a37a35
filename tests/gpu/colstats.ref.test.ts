import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import {
  type ColStats,
  colMomentsRef,
  colStatsRef,
  emptyMoments,
  finishMoments,
  mergeMoments,
} from '../../src/gpu/kernels/colstats/colstats.ref';

/** The textbook definition, in float64: filter finite values, mean, then mean squared deviation. */
function twoPass(values: ArrayLike<number>): {
  count: number;
  mean: number;
  variance: number;
  min: number;
  max: number;
} {
  const finite = Array.from(values).filter(Number.isFinite);
  const count = finite.length;
  if (count === 0) return { count, mean: NaN, variance: NaN, min: NaN, max: NaN };
  const mean = finite.reduce((s, x) => s + x, 0) / count;
  const variance = finite.reduce((s, x) => s + (x - mean) ** 2, 0) / count;
  return { count, mean, variance, min: Math.min(...finite), max: Math.max(...finite) };
}

function expectClose(got: number, want: number, rel: number, scale = Math.abs(want)): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.max(scale, Number.MIN_VALUE));
}

function expectMatchesTwoPass(got: ColStats, values: ArrayLike<number>, rel = 1e-12): void {
  const want = twoPass(values);
  expect(got.count).toBe(want.count);
  expectClose(got.mean, want.mean, rel, Math.max(Math.abs(want.mean), Math.sqrt(want.variance)));
  expectClose(got.variance, want.variance, rel);
  expectClose(got.m2, want.variance * want.count, rel);
  expect(got.min).toBe(want.min);
  expect(got.max).toBe(want.max);
}

describe('colStatsRef', () => {
  it('matches a two-pass float64 computation on random data', () => {
    const rng = createRng(7);
    for (const n of [2, 10, 1000, 12_345]) {
      const f64 = Float64Array.from({ length: n }, () => rng.normal() * 3 + 5);
      expectMatchesTwoPass(colStatsRef(f64), f64);
      const f32 = Float32Array.from(f64);
      expectMatchesTwoPass(colStatsRef(f32), f32);
    }
  });

  it('returns zero counts and NaN moments for an empty column', () => {
    const s = colStatsRef(new Float64Array(0));
    expect([s.count, s.nan, s.posInf, s.negInf]).toEqual([0, 0, 0, 0]);
    for (const v of [s.mean, s.variance, s.m2, s.min, s.max]) expect(v).toBeNaN();
  });

  it('counts an all-missing column without inventing moments', () => {
    const s = colStatsRef(Float64Array.of(NaN, NaN, Infinity, -Infinity, -Infinity));
    expect([s.count, s.nan, s.posInf, s.negInf]).toEqual([0, 2, 1, 2]);
    for (const v of [s.mean, s.variance, s.min, s.max]) expect(v).toBeNaN();
  });

  it('excludes NaN and ±Infinity from mean, variance, min and max', () => {
    const values = Float32Array.of(NaN, 1, Infinity, 2, -Infinity, 3, NaN, 6);
    const s = colStatsRef(values);
    expect([s.count, s.nan, s.posInf, s.negInf]).toEqual([4, 2, 1, 1]);
    expect(s.mean).toBe(3);
    expect(s.variance).toBe(3.5); // deviations -2, -1, 0, 3 → 14 / 4
    expect([s.min, s.max]).toEqual([1, 6]);
  });

  it('gives zero variance for a single value and for a constant column', () => {
    const one = colStatsRef(Float64Array.of(-4.25));
    expect([one.count, one.mean, one.variance, one.min, one.max]).toEqual([1, -4.25, 0, -4.25, -4.25]);
    const constant = colStatsRef(new Float64Array(1000).fill(1e12 + 0.5));
    expect(constant.mean).toBe(1e12 + 0.5);
    expect(constant.variance).toBe(0);
  });

  it('stays accurate for a huge offset plus small noise, where the sum-of-squares formula fails', () => {
    const rng = createRng(11);
    const values = Float64Array.from({ length: 10_000 }, () => 1e9 + rng.normal());
    const s = colStatsRef(values);
    expectMatchesTwoPass(s, values, 1e-9);
    // The naive one-pass E[x²] − E[x]² loses every digit here: the case is a real test.
    let sum = 0;
    let sumSq = 0;
    for (const x of values) {
      sum += x;
      sumSq += x * x;
    }
    const naive = sumSq / values.length - (sum / values.length) ** 2;
    expect(Math.abs(naive - s.variance) / s.variance).toBeGreaterThan(1e-3);
    expect(s.variance).toBeGreaterThan(0.9);
    expect(s.variance).toBeLessThan(1.1);
  });

  it('merges moments of parts into the moments of the whole (Chan)', () => {
    const rng = createRng(3);
    const values = Float64Array.from({ length: 5000 }, () =>
      rng.next() < 0.05 ? NaN : rng.normal() * 10 - 50,
    );
    const whole = colStatsRef(values);
    // Parts with different shifts, re-expressed relative to 0 before merging.
    const merged = emptyMoments();
    for (const [a, b] of [
      [0, 1],
      [1, 1234],
      [1234, 1234],
      [1234, 4999],
      [4999, 5000],
    ] as const) {
      const [m, shift] = colMomentsRef(values, a, b);
      mergeMoments(merged, { ...m, mean: m.mean + shift });
    }
    const s = finishMoments(merged, 0);
    expect([s.count, s.nan]).toEqual([whole.count, whole.nan]);
    expectClose(s.mean, whole.mean, 1e-12);
    expectClose(s.variance, whole.variance, 1e-12);
    expect([s.min, s.max]).toEqual([whole.min, whole.max]);
  });
});
