import { describe, expect, it } from 'vitest';
import * as S from '../../src/models/stats';
import { fixture } from './helpers';

interface Fx {
  t_cdf: [number, number, number][];
  t_ppf: [number, number, number][];
  chi2_sf: [number, number][];
  summary: { values: number[]; mean: number; std: number; ci: [number, number] };
  corrected: { a: number[]; b: number[]; ratio: number; t: number; p: number };
  mcnemar: [number, number, number][];
}
const fx = fixture<Fx>('stats');

describe('distributions match scipy', () => {
  it('Student t CDF (relative 1e-9, tails included)', () => {
    for (const [t, df, want] of fx.t_cdf) {
      const got = S.studentTCdf(t, df);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(want, 1e-300) + 1e-300);
    }
  });
  it('Student t quantile', () => {
    for (const [p, df, want] of fx.t_ppf) expect(S.studentTQuantile(p, df)).toBeCloseTo(want, 8);
  });
  it('chi-square(1) upper tail', () => {
    for (const [x, want] of fx.chi2_sf) expect(S.chiSquare1Sf(x) / want).toBeCloseTo(1, 10);
  });
});

describe('tests and intervals', () => {
  it('mean ± std with the 95% t-interval', () => {
    const s = S.summarize(fx.summary.values);
    expect(s.mean).toBeCloseTo(fx.summary.mean, 12);
    expect(s.std).toBeCloseTo(fx.summary.std, 12);
    expect(s.ciLow).toBeCloseTo(fx.summary.ci[0], 10);
    expect(s.ciHigh).toBeCloseTo(fx.summary.ci[1], 10);
  });

  it('Nadeau–Bengio corrected t-test is less confident than the naive one', () => {
    const { a, b, ratio, t, p } = fx.corrected;
    const r = S.correctedTTest(a, b, ratio);
    expect(r.statistic).toBeCloseTo(t, 10);
    expect(r.pValue).toBeCloseTo(p, 10);
    expect(S.correctedTTest(a, b, 0).pValue).toBeLessThan(r.pValue);
    expect(S.verdict('A', 'B', r)).toMatch(/^A is better than B \(p = 0\.0\d\d, corrected t-test\)\.$/);
    expect(S.verdict('B', 'A', S.correctedTTest(b, a, ratio))).toMatch(/^A is better than B/);
    expect(S.verdict('A', 'B', S.correctedTTest(a, a, ratio))).toMatch(/^No significant difference/);
  });

  it('McNemar: exact for small counts, chi-square with continuity otherwise', () => {
    for (const [b, c, want] of fx.mcnemar) expect(S.mcnemarCounts(b, c).pValue).toBeCloseTo(want, 12);
    expect(S.mcnemarCounts(3, 9).test).toBe('McNemar exact');
    expect(S.mcnemarCounts(30, 12).test).toBe('McNemar chi-square');
    const y = [0, 1, 1, 0, 1];
    const r = S.mcnemar(y, [0, 1, 1, 0, 1], [1, 0, 1, 0, 1]);
    expect(r.difference).toBe(2);
    expect(S.verdict('A', 'B', r)).toMatch(/No significant difference .*McNemar/);
  });
});
