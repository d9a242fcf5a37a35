/**
 * Error-slice statistics against scipy (tests/fixtures/stats/make_slice_stats.py) and textbook
 * values: Newcombe's (1998) Wilson intervals and Benjamini & Hochberg's (1995) worked example.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  meanInterval,
  momentsFromSums,
  normalCritical,
  twoProportionZTest,
  welchTTest,
  wilsonInterval,
} from '../../src/models/slice-stats';

interface Fx {
  z975: number;
  wilson: [number, number, number, number][];
  newcombe: [number, number, number, number][];
  proportions: [number, number, number, number, number, number][];
  welch: [number, number, number, number, number, number, number, number, number][];
  t_interval: [number, number, number, number, number][];
  bh: { p: number[]; q: number[]; rejected_at_005: number };
}

const fx = JSON.parse(
  readFileSync(new URL('../fixtures/stats/slice_stats.json', import.meta.url), 'utf8'),
) as Fx;

describe('intervals', () => {
  it('the normal critical value for 95%', () => {
    expect(normalCritical(0.95)).toBeCloseTo(fx.z975, 12);
  });

  it('Wilson interval equals scipy (binomtest proportion_ci, method wilson)', () => {
    for (const [k, n, low, high] of fx.wilson) {
      const ci = wilsonInterval(k, n);
      expect(ci.low).toBeCloseTo(low, 12);
      expect(ci.high).toBeCloseTo(high, 12);
    }
  });

  it("Wilson interval equals Newcombe's published table to 4 decimals", () => {
    for (const [k, n, low, high] of fx.newcombe) {
      const ci = wilsonInterval(k, n);
      expect(Math.round(ci.low * 1e4) / 1e4).toBe(low);
      expect(Math.round(ci.high * 1e4) / 1e4).toBe(high);
    }
  });

  it('t interval for a mean equals scipy (t.interval)', () => {
    for (const [mean, sd, n, low, high] of fx.t_interval) {
      const ci = meanInterval({ mean, variance: sd * sd, n });
      expect(ci.low).toBeCloseTo(low, 9);
      expect(ci.high).toBeCloseTo(high, 9);
    }
  });

  it('moments from sums', () => {
    const xs = [1, 2, 4, 7];
    const m = momentsFromSums(
      xs.reduce((s, x) => s + x, 0),
      xs.reduce((s, x) => s + x * x, 0),
      xs.length,
    );
    expect(m.mean).toBe(3.5);
    expect(m.variance).toBeCloseTo(7, 12);
  });
});

describe('tests', () => {
  it('two-proportion z-test equals the 2×2 chi-square test (scipy, no continuity correction)', () => {
    for (const [k1, n1, k2, n2, z, p] of fx.proportions) {
      const t = twoProportionZTest(k1, n1, k2, n2);
      expect(t.statistic).toBeCloseTo(z, 9);
      expect(t.pValue / p).toBeCloseTo(1, 8);
    }
    expect(twoProportionZTest(0, 30, 0, 100)).toEqual({ statistic: 0, pValue: 1 });
  });

  it("Welch's t-test equals scipy (ttest_ind_from_stats, equal_var=False)", () => {
    for (const [m1, s1, n1, m2, s2, n2, t, p, df] of fx.welch) {
      const r = welchTTest({ mean: m1, variance: s1 * s1, n: n1 }, { mean: m2, variance: s2 * s2, n: n2 });
      expect(r.statistic).toBeCloseTo(t, 9);
      expect(r.pValue / p).toBeCloseTo(1, 7);
      expect(r.df).toBeCloseTo(df, 9);
    }
  });

  it("Benjamini–Hochberg: the paper's example rejects the four smallest at 0.05", () => {
    const q = benjaminiHochberg(fx.bh.p);
    q.forEach((v, i) => {
      expect(v).toBeCloseTo(fx.bh.q[i]!, 12);
    });
    expect(q.filter((v) => v < 0.05)).toHaveLength(fx.bh.rejected_at_005);
    // Order does not matter, and NaN counts as p = 1.
    const shuffled = [fx.bh.p[3]!, Number.NaN, fx.bh.p[0]!];
    expect(benjaminiHochberg(shuffled)).toEqual([fx.bh.p[3]! * 1.5, 1, fx.bh.p[0]! * 3]);
  });
});
