/**
 * The column profile against pandas/numpy (fixtures made by tests/fixtures/sklearn/*.py), the
 * HyperLogLog error bound, the selection-based quantiles, the histogram reference's edges, and
 * cancel/progress. In Node the kernels run their CPU references (no WebGPU here).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeTable, type Table, tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { hashNumber } from '../../src/analysis/profile/hash';
import { HyperLogLog } from '../../src/analysis/profile/hll';
import { type ColumnProfile, numericBins, profileTable } from '../../src/analysis/profile/profile';
import { quantilesInPlace } from '../../src/analysis/profile/quantiles';
import { quantileSorted } from '../../src/core/percentile';
import { createRng } from '../../src/core/rng';
import { initCompute } from '../../src/gpu/device';
import { histogramRef } from '../../src/gpu/kernels/histogram/histogram.ref';
import { readTable } from '../../src/io/read';
import { syntheticTable } from '../../src/io/synthetic';

const fixtures = fileURLToPath(new URL('../fixtures/sklearn/', import.meta.url));
const samples = fileURLToPath(new URL('../../public/samples/', import.meta.url));

interface NumpyStats {
  count: number;
  missing: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  median: number;
  q25: number;
  q75: number;
}
interface PandasStats {
  count: number;
  std?: number;
  skew?: number;
  kurt?: number;
  nunique: number;
}

const pandas = JSON.parse(readFileSync(`${fixtures}profile.json`, 'utf8')).datasets as Record<
  string,
  Record<string, PandasStats>
>;

async function sample(name: string): Promise<Table> {
  return readTable(new Uint8Array(readFileSync(`${samples}${name}.csv`)), `${name}.csv`);
}

function close(got: number | null, want: number, rel: number): void {
  expect(got).not.toBeNull();
  const scale = Math.max(Math.abs(want), 1e-300);
  expect(Math.abs((got as number) - want) / scale, `got ${got}, want ${want}`).toBeLessThanOrEqual(rel);
}

const byName = (profiles: ColumnProfile[], name: string) =>
  profiles.find((p) => p.name === name) as ColumnProfile;

describe('profileTable on the samples (CPU path)', () => {
  for (const name of ['iris', 'iris_missing', 'wine', 'breast_cancer', 'diabetes']) {
    it(`${name}: mean, std, quartiles within 1e-9 of numpy; skew/kurt/nunique as pandas`, async () => {
      const numpy = JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8')).stats as Record<
        string,
        NumpyStats
      >;
      const table = await sample(name);
      const profiles = await profileTable(table, null);
      expect(profiles.map((p) => p.name)).toEqual(table.schema.fields.map((f) => f.name));
      for (const [column, want] of Object.entries(numpy)) {
        const p = byName(profiles, column);
        const s = p.numeric;
        expect(s, column).not.toBeNull();
        expect([p.count, p.missing]).toEqual([want.count, want.missing]);
        close(s!.mean, want.mean, 1e-9);
        // The fixture's std is numpy's ddof=0; ours is pandas' ddof=1.
        close(s!.std! * Math.sqrt((want.count - 1) / want.count), want.std, 1e-9);
        close(s!.min, want.min, 0);
        close(s!.max, want.max, 0);
        close(s!.median, want.median, 1e-9);
        close(s!.q25, want.q25, 1e-9);
        close(s!.q75, want.q75, 1e-9);
        const pd = pandas[name]![column]!;
        close(s!.std, pd.std!, 1e-9);
        close(s!.skewness, pd.skew!, 1e-9);
        close(s!.kurtosis, pd.kurt!, 1e-9);
        expect(p.distinct).toBe(pd.nunique);
        expect(p.distinctApprox).toBe(false);
      }
    });
  }

  it('iris_missing: the categorical, the date and the target', async () => {
    const profiles = await profileTable(await sample('iris_missing'), null);
    const site = byName(profiles, 'site');
    expect(site.type).toBe('categorical');
    expect([site.count, site.missing, site.distinct]).toEqual([142, 8, pandas.iris_missing!.site!.nunique]);
    expect(site.categories!.top.reduce((s, c) => s + c.count, 0) + site.categories!.other).toBe(142);
    expect(site.categories!.top[0]).toEqual({ value: 'south meadow', count: 51 });
    const date = byName(profiles, 'measured_on');
    expect(date.type).toBe('date');
    expect([date.count, date.distinct]).toEqual([147, pandas.iris_missing!.measured_on!.nunique]);
    expect(date.dates!.min <= date.dates!.max).toBe(true);
    expect(date.dates!.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(147);
    const target = byName(profiles, 'target');
    expect(target.categories!.top.map((c) => c.count)).toEqual([50, 50, 50]);
    expect(target.dominant).toBeNull();
    // Every numeric histogram counts every finite value exactly once.
    for (const p of profiles) {
      if (p.numeric?.histogram) expect(p.numeric.histogram.counts.reduce((a, b) => a + b, 0)).toBe(p.count);
    }
  });
});

describe('profileTable on synthetic data', () => {
  it('gives the same numbers with a Compute on the CPU as with none, and sane kinds', async () => {
    const table = syntheticTable({ rows: 3000, seed: 5 });
    const compute = await initCompute({ webgpu: false });
    const [a, b] = [await profileTable(table, null), await profileTable(table, compute)];
    expect(b).toEqual(a);
    const text = byName(a, 's_comment');
    expect(text.text!.minLength).toBeGreaterThan(0);
    expect(text.text!.maxLength).toBeGreaterThanOrEqual(text.text!.meanLength);
    expect(byName(a, 'n_id').numeric!.monotonic).toBe('increasing');
    expect(
      byName(a, 'b_flag')
        .categories!.top.map((c) => c.value)
        .sort(),
    ).toEqual(['False', 'True']);
    expect(byName(a, 't_timestamp').dates!.min).toMatch(/^2024-\d\d-\d\dT/);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a); // plain JSON, no NaN or typed arrays
  });

  it('switches to HyperLogLog above exactDistinctLimit and marks it; the estimate stays close', async () => {
    const table = syntheticTable({ rows: 20_000, seed: 9 });
    const exact = await profileTable(table, null);
    const approx = await profileTable(table, null, { exactDistinctLimit: 1000 });
    for (const [i, e] of exact.entries()) {
      const a = approx[i]!;
      expect(e.distinctApprox).toBe(false);
      if (e.type === 'categorical' || e.type === 'boolean') {
        expect(a.distinct).toBe(e.distinct); // dictionaries are always exact
        continue;
      }
      expect(a.distinctApprox).toBe(a.count > 1000);
      // Quartiles by selection equal those by sorting.
      expect(a.numeric?.median).toEqual(e.numeric?.median);
      expect(a.numeric?.q25).toEqual(e.numeric?.q25);
      expect(a.dominant).toEqual(e.dominant);
      expect(Math.abs(a.distinct - e.distinct)).toBeLessThanOrEqual(Math.max(2, 0.03 * e.distinct));
    }
  });

  it('reports progress per column and stops with Cancelled', async () => {
    const table = syntheticTable({ rows: 500, seed: 1 });
    const phases: string[] = [];
    const fractions: number[] = [];
    await profileTable(table, null, {
      onProgress: (p) => {
        phases.push(p.phase);
        fractions.push(p.fraction ?? -1);
      },
    });
    for (const f of table.schema.fields) expect(phases).toContain(`Profiling "${f.name}"`);
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((x, y) => x - y)).toEqual(fractions);
    const controller = new AbortController();
    const run = profileTable(table, null, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase.includes('x_uniform')) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'Cancelled' });
  });

  it('handles infinities, all-missing and constant columns', async () => {
    const table = tableFromArrays({
      inf: Float64Array.of(1, Infinity, 3, -Infinity, Number.NaN, 0, -2),
      none: Float64Array.of(NaN, NaN, NaN, NaN, NaN, NaN, NaN),
      same: Float64Array.of(4, 4, 4, 4, 4, 4, 4),
    });
    const [inf, none, same] = await profileTable(table, null);
    expect([inf!.count, inf!.missing, inf!.distinct]).toEqual([6, 1, 6]);
    expect(inf!.numeric).toMatchObject({
      posInf: 1,
      negInf: 1,
      zeros: 1,
      negatives: 2,
      min: -2,
      max: 3,
      median: 0.5,
    });
    expect(inf!.numeric!.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect([none!.count, none!.missing, none!.numeric!.mean, none!.numeric!.histogram]).toEqual([
      0,
      7,
      null,
      null,
    ]);
    expect(same!.numeric).toMatchObject({ std: 0, skewness: 0, kurtosis: 0 });
    expect(same!.dominant).toEqual({ value: '4', count: 7 });
    expect(same!.numeric!.histogram!.counts).toEqual([7]);
  });
});

describe('HyperLogLog', () => {
  it('estimates 1M distinct seeded values within 2% (and 50k within 3%)', () => {
    const rng = createRng(2024);
    const h = new Uint32Array(2);
    for (const n of [1_000_000, 50_000]) {
      const hll = new HyperLogLog();
      const base = rng.next() * 1e6;
      for (let i = 0; i < n; i++) {
        hashNumber(base + i * 0.37, h);
        hll.add(h[0]!, h[1]!);
        if (i % 3 === 0) hll.add(h[0]!, h[1]!); // repeats must not count
      }
      const error = Math.abs(hll.estimate() - n) / n;
      expect(error, `n=${n}: estimate ${hll.estimate()}`).toBeLessThan(n === 1_000_000 ? 0.02 : 0.03);
    }
  });

  it('addFloat64 hashes as hashNumber (−0 = 0, NaN skipped) and an empty sketch estimates 0', () => {
    const col = Float64Array.of(1.5, -0, 0, NaN, 7, 1.5);
    const a = new HyperLogLog();
    a.addFloat64(col);
    const b = new HyperLogLog();
    const h = new Uint32Array(2);
    for (const x of [1.5, 0, 7]) {
      hashNumber(x, h);
      b.add(h[0]!, h[1]!);
    }
    expect(a.registers).toEqual(b.registers);
    expect(a.estimate()).toBe(3);
    expect(new HyperLogLog().estimate()).toBe(0);
  });
});

describe('quantiles by selection', () => {
  it('equal numpy-linear quantiles of the sorted array on random, tied and sorted inputs', () => {
    const rng = createRng(3);
    const inputs = [
      Float64Array.from({ length: 10_001 }, () => rng.normal()),
      Float64Array.from({ length: 5000 }, () => rng.int(7)),
      Float64Array.from({ length: 3001 }, (_v, i) => i),
      Float64Array.of(42),
      Float64Array.of(2, 1),
    ];
    const qs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
    for (const x of inputs) {
      const sorted = x.slice().sort();
      expect(quantilesInPlace(x.slice(), qs)).toEqual(qs.map((q) => quantileSorted(sorted, q)));
    }
  });
});

describe('histogram bins and reference', () => {
  it('puts exactly max in the last bin and skips NaN/±Infinity', () => {
    const col = Float64Array.of(0, 0.5, 1, 9.999, 10, NaN, Infinity, -Infinity, 11);
    const h = histogramRef(col, { lo: 0, hi: 10, bins: 10 });
    expect(Array.from(h.counts)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(h.outside).toBe(1);
    const f32 = histogramRef(Float32Array.from(col), { lo: 0, hi: 10, bins: 10 });
    expect(f32).toEqual(h);
  });

  it('chooses one bin per integer for short integer ranges, else Freedman–Diaconis', () => {
    expect(numericBins(0, 9, 2, 1000, true)).toEqual({
      range: { lo: -0.5, hi: 9.5, bins: 10 },
      rule: 'integers',
    });
    const fd = numericBins(0, 100, 10, 1000, false);
    expect(fd.rule).toBe('freedman-diaconis');
    expect(fd.range.bins).toBe(50); // width 2·10·1000^(−1/3) = 2 → 50 bins
    expect(numericBins(18, 90, 37, 950, true).range).toMatchObject({ lo: 17.5, bins: 10 });
    expect(numericBins(1, 1, 0, 5, false).range.bins).toBe(1);
  });
});

describe('profile of Arrow-only shapes', () => {
  it('reads chunked columns', async () => {
    const a = tableFromArrays({ x: Float64Array.of(1, 2, 3) });
    const b = tableFromArrays({ x: Float64Array.of(4, NaN) });
    const t = makeTable({ x: Float64Array.of(0) }).concat(a, b);
    const [p] = await profileTable(t, null);
    expect([p!.count, p!.missing, p!.numeric!.median, p!.numeric!.max]).toEqual([5, 1, 2, 4]);
  });
});
