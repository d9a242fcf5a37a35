/**
 * The histogram kernel on a real WebGPU device (SwiftShader in CI) against its reference. Both
 * bin with the same f32 roundings, so counts must be equal exactly. Fails (never skips) without
 * WebGPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileTable } from '../../src/analysis/profile/profile';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { histogram, histogramAll, histogramRef, MAX_BINS } from '../../src/gpu/kernels/histogram/histogram';
import { TILE } from '../../src/gpu/kernels/histogram/histogram.wgsl';
import { syntheticTable } from '../../src/io/synthetic';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute();
});
afterAll(() => compute?.dispose());

function gpu() {
  if (!compute.gpu) throw new Error(`no GPU device: ${JSON.stringify(compute.info().fallbacks)}`);
  return compute.gpu;
}

/** Normal values with ~2% NaN and ~1% each of ±Infinity. */
function column<T extends Float32Array | Float64Array>(
  make: new (n: number) => T,
  n: number,
  seed: number,
  offset = 0,
): T {
  const rng = createRng(seed);
  const out = new make(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    out[i] = u < 0.02 ? NaN : u < 0.03 ? Infinity : u < 0.04 ? -Infinity : offset + rng.normal() * 3;
  }
  return out;
}

function finiteRange(col: Float32Array | Float64Array): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of col) {
    if (Number.isFinite(x)) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  return { lo, hi };
}

describe('histogram on WebGPU', () => {
  it('has a real WebGPU device', () => {
    expect(compute.info().kernels).toBe('webgpu');
  });

  it('equals the reference for lengths around the tile size, f32 and f64, many bin counts', async () => {
    for (const n of [1, 255, 256, 257, TILE - 1, TILE, TILE + 1, 50_001]) {
      for (const make of [Float32Array, Float64Array] as (new (
        n: number,
      ) => Float32Array | Float64Array)[]) {
        const col = column(make, n, n, 5);
        const r = finiteRange(col);
        if (!(r.hi >= r.lo)) continue;
        for (const bins of [1, 7, 30, 256, 300, MAX_BINS]) {
          const range = { ...r, bins };
          const got = await histogram(gpu(), col, range);
          expect(got, `n=${n} bins=${bins} ${make.name}`).toEqual(histogramRef(col, range));
        }
      }
    }
  });

  it('puts exactly the upper edge in the last bin, excludes NaN/±Infinity, counts values outside', async () => {
    const col = Float32Array.of(0, 0.5, 1, 9.999, 10, NaN, Infinity, -Infinity, 11, -1);
    const got = await histogram(gpu(), col, { lo: 0, hi: 10, bins: 10 });
    expect(Array.from(got.counts)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(got.outside).toBe(2);
    const wide = Float64Array.of(1e300, -5, 3, NaN);
    expect(await histogram(gpu(), wide, { lo: -5, hi: 3, bins: 4 })).toEqual(
      histogramRef(wide, { lo: -5, hi: 3, bins: 4 }),
    );
  });

  it('handles a zero-width range and a range too wide for f32 (reference path)', async () => {
    const same = new Float32Array(1000).fill(2.5);
    expect(Array.from((await histogram(gpu(), same, { lo: 2.5, hi: 2.5, bins: 1 })).counts)).toEqual([1000]);
    const huge = Float64Array.of(-1e300, 0, 1e300);
    const got = await histogram(gpu(), huge, { lo: -1e300, hi: 1e300, bins: 2 });
    expect(Array.from(got.counts)).toEqual([1, 2]);
  });

  it('batches columns with chunking and agrees with the references; progress reaches 1', async () => {
    const cols = [column(Float32Array, 9000, 1), new Float64Array(0), column(Float64Array, 5003, 2, 1e6)];
    const ranges = cols.map((c) => ({ ...(c.length ? finiteRange(c) : { lo: 0, hi: 1 }), bins: 33 }));
    const fractions: number[] = [];
    const got = await histogramAll(compute, cols, ranges, {
      maxBindingElements: 1000,
      onProgress: (f) => fractions.push(f),
    });
    for (const [i, c] of cols.entries()) expect(got[i]).toEqual(histogramRef(c, ranges[i]!));
    expect(fractions.at(-1)).toBe(1);
  });

  it('stops with Cancelled between chunks and leaves the device usable', async () => {
    const controller = new AbortController();
    const col = column(Float32Array, 20_000, 3);
    const range = { ...finiteRange(col), bins: 10 };
    const run = histogram(gpu(), col, range, {
      maxBindingElements: TILE,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'Cancelled' });
    expect(await histogram(gpu(), col, range)).toEqual(histogramRef(col, range));
  });

  it('profileTable on the GPU agrees with the CPU profile (colstats tolerance; histograms exact)', async () => {
    const table = syntheticTable({ rows: 4000, seed: 11 });
    const [cpu, gpuProfiles] = [await profileTable(table, null), await profileTable(table, compute)];
    for (const [i, c] of cpu.entries()) {
      const g = gpuProfiles[i]!;
      expect({ ...g, numeric: null }).toEqual({ ...c, numeric: null });
      if (!c.numeric) continue;
      const { mean, std, skewness, kurtosis, histogram: hc, ...exact } = c.numeric;
      const { mean: gm, std: gs, skewness: gsk, kurtosis: gk, histogram: hg, ...gExact } = g.numeric!;
      expect(gExact).toEqual(exact);
      const scale = Math.max(Math.abs(mean!), std!);
      expect(Math.abs(gm! - mean!)).toBeLessThanOrEqual(1e-5 * scale);
      expect(Math.abs(gs! - std!)).toBeLessThanOrEqual(1e-5 * std!);
      expect(Math.abs(gsk! - skewness!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(skewness!)));
      expect(Math.abs(gk! - kurtosis!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(kurtosis!)));
      expect(hg).toEqual(hc);
    }
  });
});
